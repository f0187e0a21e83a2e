"""A slow, plain-Python statement of every metric, written from SPEC's reference formulas without SQL, to check the
engine against."""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import fmean, stdev
from typing import Any

PASSING = {"优秀", "良好", "合格", "A", "B", "C"}


def passed(row: dict[str, Any], cut: float) -> bool:
    return row["level"] in PASSING if row["level"] else row["score"] >= cut


def stage_of(row: dict[str, Any], schools: dict[str, dict[str, Any]]) -> str:
    school = schools.get(row["school_code"], {})
    return school.get("stage") or ("primary" if row["grade"] <= 5 else "junior")


def weighted_cv(values: list[float], counts: list[int]) -> float:
    """SPEC: X̄ = ΣP_iX_i / P, S = sqrt(Σ (P_i/P)(X_i − X̄)²), CV = S / X̄."""
    total = sum(counts)
    mean = sum(p * x for p, x in zip(counts, values, strict=True)) / total
    spread = math.sqrt(sum(p / total * (x - mean) ** 2 for p, x in zip(counts, values, strict=True)))
    return spread / mean


def between_school_share(groups: list[list[float]]) -> float | None:
    """SPEC: one-way ANOVA estimator of the intraclass correlation."""
    j = len(groups)
    n = sum(len(g) for g in groups)
    if j < 2 or n <= j:
        return None
    grand = fmean(x for g in groups for x in g)
    msb = sum(len(g) * (fmean(g) - grand) ** 2 for g in groups) / (j - 1)
    msw = sum((x - fmean(g)) ** 2 for g in groups for x in g) / (n - j)
    n0 = (n - sum(len(g) ** 2 for g in groups) / n) / (j - 1)
    between = max(0.0, (msb - msw) / n0)
    return None if between + msw == 0 else between / (between + msw)


def ols_residuals(pairs: list[tuple[float, float]]) -> list[float] | None:
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    mx, my = fmean(xs), fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in pairs) / sxx
    return [y - (my + slope * (x - mx)) for x, y in pairs]


def improved(school: dict[str, Any]) -> bool:
    """Value added above zero, or where no student is linked to last year, a higher mean."""
    measure = school["value_added"] if school["value_added"] is not None else school["change"]
    return measure is not None and measure > 1e-9  # a perfect fit leaves residuals of ±1e-15


def reference_metrics(
    scores: list[dict[str, Any]], schools: list[dict[str, Any]], year: int, cut: float
) -> dict[str, Any]:
    by_code = {s["school_code"]: s for s in schools}
    current = [r for r in scores if r["year"] == year]
    prior = {(r["student_id"], r["subject"]): r for r in scores if r["year"] == year - 1}

    by_school: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in current:
        by_school[row["school_code"], row["subject"]].append(row)
    prior_means: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in prior.values():
        prior_means[row["school_code"], row["subject"]].append(row["score"])

    linked: dict[tuple[int, str], list[tuple[dict[str, Any], float]]] = defaultdict(list)
    for row in current:
        before = prior.get((row["student_id"], row["subject"]))
        if before is not None:
            linked[row["grade"], row["subject"]].append((row, before["score"]))
    residuals: dict[tuple[str, str], list[float]] = defaultdict(list)
    for group in linked.values():
        fitted = ols_residuals([(x, r["score"]) for r, x in group])
        if fitted is not None:
            for (row, _x), residual in zip(group, fitted, strict=True):
                residuals[row["school_code"], row["subject"]].append(residual)

    schools_out = {}
    for key, rows in by_school.items():
        values = [r["score"] for r in rows]
        schools_out[key] = {
            "students": len(rows),
            "mean": fmean(values),
            "sd": stdev(values) if len(values) > 1 else None,
            "pass_share": sum(passed(r, cut) for r in rows) / len(rows),
            "change": fmean(values) - fmean(prior_means[key]) if prior_means.get(key) else None,
            "value_added": fmean(residuals[key]) if residuals.get(key) else None,
        }

    district_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    cluster_rows: dict[tuple[str, str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in current:
        school = by_code[row["school_code"]]
        stage = stage_of(row, by_code)
        district_rows[school["district_code"], stage, row["subject"]].append(row)
        if school.get("cluster"):
            cluster_rows[school["cluster"], stage, row["subject"]][row["school_code"]].append(row)
    districts_out = {
        key: sum(passed(r, cut) for r in rows) / len(rows) for key, rows in district_rows.items()
    }
    clusters_out = {}
    for (cluster, stage, subject), members in cluster_rows.items():
        groups = [[r["score"] for r in rows] for rows in members.values()]
        everyone = [r for rows in members.values() for r in rows]
        district = min(by_code[code]["district_code"] for code in members)
        weaker = [code for code in members if by_code[code].get("tier") == "weaker"]

        means = [fmean(g) for g in groups]
        clusters_out[cluster, stage, subject] = {
            "schools": len(groups),
            "students": len(everyone),
            "between_school_share": between_school_share(groups),
            "weighted_cv": weighted_cv(means, [len(g) for g in groups])
            if fmean(r["score"] for r in everyone)
            else None,
            "pass_share": sum(passed(r, cut) for r in everyone) / len(everyone),
            "district_pass_share": districts_out[district, stage, subject],
            "weaker_schools_improved": all(improved(schools_out[c, subject]) for c in weaker)
            if weaker
            else None,
        }
    return {"schools": schools_out, "districts": districts_out, "clusters": clusters_out}
