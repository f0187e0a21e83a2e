"""How long the monitoring metrics take for the whole city, against a straightforward pandas implementation.

Generates the `city` size results (1,296 schools in 16 districts and ≈250 clusters, ≈1.4M students × 5 subjects,
two years, students linked across the years) as Parquet, then runs, each in its own process:

- `junheng evaluate --scores … --schools … --year 2024` end to end (process start, Django, DuckDB, JSON written);
- the same metrics in pandas (read Parquet, group, merge, fit the value-added lines per grade and subject).

and prints wall time and peak memory (maximum resident set) of each, the ratio, and checks that both give the same
numbers. Run: .venv/bin/python bench/evaluate.py [--students-per-school 1080] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治")
SCHOOLS = 1296
DISTRICTS = 16
CUT = 60.0


def generate(directory: Path, students_per_school: int) -> tuple[Path, Path, int]:
    """Deterministic data with school effects giving a between-school share of about 0.05–0.30 per cluster."""
    scores, schools = directory / "scores.parquet", directory / "schools.csv"
    with duckdb.connect() as con:
        con.execute("SELECT setseed(0.42)")
        con.execute(
            f"""
            CREATE TABLE schools AS
            SELECT 'S' || lpad(CAST(i AS VARCHAR), 4, '0') AS school_code, '学校' || i AS school_name,
                   CAST(310101 + i % {DISTRICTS} AS VARCHAR) AS district_code,
                   CASE WHEN i % 21 = 0 THEN NULL ELSE 'C' || CAST(i % {DISTRICTS} AS VARCHAR) || '-'
                        || CAST(i // ({DISTRICTS} * 5) AS VARCHAR) END AS cluster,
                   CASE WHEN i % 3 = 0 THEN 'junior' ELSE 'primary' END AS stage,
                   CASE WHEN i % 4 = 0 THEN 'weaker' ELSE 'quality' END AS tier,
                   random() * 0.6 AS spread
            FROM range({SCHOOLS}) t(i)
            """
        )
        con.execute(
            "CREATE TABLE effects AS SELECT school_code, stage, tier, spread, random() AS u1, random() AS u2 FROM schools"
        )
        con.execute(
            f"""
            CREATE TABLE students AS
            SELECT e.school_code || '-' || CAST(k AS VARCHAR) AS student_id, e.school_code,
                   CASE WHEN e.stage = 'primary' THEN 2 + k % 4 ELSE 7 + k % 3 END AS grade,
                   e.spread * sqrt(-2 * ln(e.u1 + 1e-12)) * cos(2 * pi() * e.u2)
                     - CASE WHEN e.tier = 'weaker' THEN 0.3 ELSE 0 END AS school_effect,
                   sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random()) AS ability
            FROM effects e, range({students_per_school}) r(k)
            """
        )
        con.execute(
            f"""
            COPY (
              SELECT y.year, s.student_id, s.school_code, s.grade - (2024 - y.year) AS grade, j.subject,
                     round(greatest(0, least(100, 72 + 12 * (s.school_effect + s.ability)
                       + 8 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random())
                       + CASE WHEN y.year = 2024 THEN 1.5 ELSE 0 END)), 1) AS score,
                     CASE WHEN y.year = 2023 THEN NULL END AS level
              FROM students s, (VALUES (2023), (2024)) y(year), (VALUES {", ".join(f"('{x}')" for x in SUBJECTS)}) j(subject)
            ) TO '{scores}' (FORMAT parquet)
            """
        )
        con.execute(
            f"COPY (SELECT school_code, school_name, district_code, cluster, stage, tier FROM schools) "
            f"TO '{schools}' (HEADER, DELIMITER ',')"
        )
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{scores}')").fetchall()[0][0]
    return scores, schools, rows


def generated(directory: Path, students_per_school: int) -> tuple[Path, Path, int]:
    """`generate` in a child process. The children measured below start as copies of this process, and Linux
    counts that copy's resident memory in their peak; generating here would add DuckDB's working memory to it."""
    command = [sys.executable, __file__, "--generate-only", str(directory), str(students_per_school)]
    rows = int(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return directory / "scores.parquet", directory / "schools.csv", rows


PANDAS_WORKER = r"""
import json, sys
import numpy as np
import pandas as pd

scores_path, schools_path, year, cut, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
scores = pd.read_parquet(scores_path)
schools = pd.read_csv(schools_path, dtype=str)
scores = scores[scores["year"].isin([year, year - 1])].copy()
scores = scores.merge(schools[["school_code", "stage"]], on="school_code", how="left")
scores["stage"] = scores["stage"].where(scores["stage"].notna(), np.where(scores["grade"] <= 5, "primary", "junior"))
level = scores["level"]
scores["passed"] = np.where(level.isna() | (level == ""), scores["score"] >= cut,
                            level.isin(["优秀", "良好", "合格", "A", "B", "C"])).astype(int)
current = scores[scores["year"] == year]

by_school = scores.groupby(["year", "school_code", "subject"]).agg(
    students=("score", "size"), mean=("score", "mean"), sd=("score", "std"), passed=("passed", "sum")).reset_index()
now = by_school[by_school["year"] == year].drop(columns="year")
before = by_school[by_school["year"] == year - 1][["school_code", "subject", "mean"]].rename(columns={"mean": "prior"})

linked = current.merge(scores[scores["year"] == year - 1][["student_id", "subject", "score"]],
                       on=["student_id", "subject"], suffixes=("", "_prior"))
fit = linked.groupby(["grade", "subject"]).apply(
    lambda g: pd.Series({"slope": np.cov(g["score_prior"], g["score"], ddof=0)[0, 1] / np.var(g["score_prior"]),
                         "mx": g["score_prior"].mean(), "my": g["score"].mean()}), include_groups=False).reset_index()
linked = linked.merge(fit, on=["grade", "subject"])
linked["residual"] = linked["score"] - (linked["my"] + linked["slope"] * (linked["score_prior"] - linked["mx"]))
value_added = linked.groupby(["school_code", "subject"])["residual"].mean().rename("value_added").reset_index()

schools_out = now.merge(before, on=["school_code", "subject"], how="left").merge(
    value_added, on=["school_code", "subject"], how="left")
schools_out["pass_share"] = schools_out["passed"] / schools_out["students"]
schools_out["change"] = schools_out["mean"] - schools_out["prior"]

stage = current.groupby(["school_code", "stage", "subject"]).agg(
    n=("score", "size"), m=("score", "mean"), v=("score", "var"), passed=("passed", "sum")).reset_index()
stage["v"] = stage["v"].fillna(0)
stage = stage.merge(schools[["school_code", "district_code", "cluster", "tier"]], on="school_code")
districts = stage.groupby(["district_code", "stage", "subject"]).agg(
    schools=("n", "size"), students=("n", "sum"), passed=("passed", "sum")).reset_index()
districts["pass_share"] = districts["passed"] / districts["students"]

members = stage[stage["cluster"].notna()].merge(schools_out[["school_code", "subject", "value_added", "change"]],
                                               on=["school_code", "subject"], how="left")
members["improved"] = members["value_added"].fillna(members["change"]) > 1e-9
key = ["cluster", "stage", "subject"]
members["grand"] = (members["n"] * members["m"]).groupby([members[k] for k in key]).transform("sum") / \
    members.groupby(key)["n"].transform("sum")
members["ssb"] = members["n"] * (members["m"] - members["grand"]) ** 2
members["ssw"] = (members["n"] - 1) * members["v"]
members["n2"] = members["n"] ** 2
members["weaker"] = members["tier"] == "weaker"
members["weaker_improved"] = members["weaker"] & members["improved"]
c = members.groupby(key).agg(district_code=("district_code", "min"), schools=("n", "size"), students=("n", "sum"),
    passed=("passed", "sum"), grand=("grand", "min"), ssb=("ssb", "sum"), ssw=("ssw", "sum"), n2=("n2", "sum"),
    weaker=("weaker", "sum"), weaker_improved=("weaker_improved", "sum")).reset_index()
msb = c["ssb"] / (c["schools"] - 1)
msw = c["ssw"] / (c["students"] - c["schools"])
n0 = (c["students"] - c["n2"] / c["students"]) / (c["schools"] - 1)
between = ((msb - msw) / n0).clip(lower=0)
c["between_school_share"] = between / (between + msw)
c["weighted_cv"] = np.sqrt(c["ssb"] / c["students"]) / c["grand"]
c["pass_share"] = c["passed"] / c["students"]
c = c.merge(districts[["district_code", "stage", "subject", "pass_share"]].rename(
    columns={"pass_share": "district_pass_share"}), on=["district_code", "stage", "subject"], how="left")
with open(out, "w") as f:
    json.dump({"clusters": json.loads(c.to_json(orient="records")),
               "schools": json.loads(schools_out.to_json(orient="records"))}, f)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def same_numbers(ours: Path, theirs: Path) -> int:
    """How many cluster metrics differ by more than 1e-9 between the two results."""
    mine = {(r["cluster"], r["stage"], r["subject"]): r for r in json.loads(ours.read_text())["clusters"]}
    differ = 0
    for row in json.loads(theirs.read_text())["clusters"]:
        other = mine[row["cluster"], row["stage"], row["subject"]]
        for name in ("between_school_share", "weighted_cv", "pass_share", "district_pass_share"):
            a, b = other[name], row[name]
            if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9):
                differ += 1
    return differ


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students-per-school", type=int, default=1080)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this directory")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    directory = options.keep or Path(tempfile.mkdtemp(prefix="junheng-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scores, schools, rows = generated(directory, options.students_per_school)
    print(
        f"generated {rows:,} score rows ({rows // 2 // len(SUBJECTS):,} students a year) "
        f"in {time.perf_counter() - started:.1f} s; Parquet {scores.stat().st_size / 1e6:.0f} MB"
    )
    bin_dir = Path(sys.executable).parent
    ours_out, theirs_out = directory / "junheng.json", directory / "pandas.json"
    ours_cmd = [
        str(bin_dir / "junheng"),
        "evaluate",
        "--scores",
        str(scores),
        "--schools",
        str(schools),
        "--year",
        "2024",
        "--output",
        str(ours_out),
    ]
    theirs_cmd = [
        sys.executable,
        "-c",
        PANDAS_WORKER,
        str(scores),
        str(schools),
        "2024",
        str(CUT),
        str(theirs_out),
    ]
    results = {}
    for name, command in (("junheng evaluate (DuckDB)", ours_cmd), ("pandas", theirs_cmd)):
        runs = [measure(command) for _ in range(options.runs)]
        results[name] = (min(r[0] for r in runs), max(r[1] for r in runs))
    print(f"\n| implementation | best of {options.runs} (s) | peak memory (MB) |\n|---|---|---|")
    for name, (seconds, memory) in results.items():
        print(f"| {name} | {seconds:.2f} | {memory:.0f} |")
    ours, theirs = results["junheng evaluate (DuckDB)"], results["pandas"]
    print(f"\npandas / junheng: {theirs[0] / ours[0]:.1f}× the time, {theirs[1] / ours[1]:.1f}× the memory")
    print(f"cluster metrics differing by more than 1e-9: {same_numbers(ours_out, theirs_out)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate-only"]:
        print(generate(Path(sys.argv[2]), int(sys.argv[3]))[2])
    else:
        main()
