"""Scoped reads of the policy app: the thresholds in force (what the apps below policy read through
junheng.core.editions, settings.JUNHENG_THRESHOLDS_PROVIDER) and the findings that stand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Max, Q

from junheng.core.editions import ThresholdValue, in_force_first, shipped_thresholds_on

from .models import ComplianceRun, Finding, PolicyEdition, SubjectType


def thresholds_in_force(day: date, keys: list[str]) -> dict[str, ThresholdValue]:
    """Each key from the edition in force on the day (as the commission has edited it); a key no edition in the
    database holds comes from the shipped editions."""
    editions = in_force_first(PolicyEdition.objects.prefetch_related("thresholds"), day)
    found: dict[str, ThresholdValue] = {}
    for key in keys:
        for edition in editions:
            threshold = next((t for t in edition.thresholds.all() if t.key == key), None)
            if threshold is not None:
                found[key] = ThresholdValue(
                    key,
                    threshold.value,
                    threshold.comparator,
                    threshold.unit,
                    threshold.source,
                    threshold.clause,
                    edition=edition.code,
                    note=threshold.note,
                )
                break
    missing = [key for key in keys if key not in found]
    return {**found, **shipped_thresholds_on(day, missing)} if missing else found


def latest_runs() -> list[ComplianceRun]:
    """The runs whose findings stand: of each edition, the latest city-wide run and each district's latest own
    run (a finding stands if no later run of its edition covers its district)."""
    latest = ComplianceRun.objects.values("edition", "district").annotate(last=Max("pk")).order_by()
    return list(
        ComplianceRun.objects.filter(pk__in=[row["last"] for row in latest]).select_related("edition")
    )


def current_findings(user: Any, runs: list[ComplianceRun] | None = None) -> Any:
    """The findings the user may see from the latest run that covers each subject's district, per edition: a
    district's own run counts as well as a city-wide one, whichever came later."""
    runs = latest_runs() if runs is None else runs
    city = {run.edition_id: run for run in runs if run.district_id is None}
    standing = Q(pk__in=[])
    for run in runs:
        whole_city = city.get(run.edition_id)
        if run.district_id is None:
            # the city-wide run, but not where a district ran its own check since
            newer = [
                r.district_id
                for r in runs
                if r.edition_id == run.edition_id and r.district_id and r.pk > run.pk
            ]
            standing |= Q(run=run) & ~Q(district__in=newer)
        elif whole_city is None or run.pk > whole_city.pk:
            standing |= Q(run=run)
    return Finding.objects.restrict(user).filter(standing)


def latest_findings_for(user: Any, pairings: Iterable[Any]) -> dict[int, list[Finding]]:
    """For each pairing (or pairing id), its standing findings, by rule; two queries whatever the number."""
    ids = [getattr(p, "pk", p) for p in pairings]
    found: dict[int, list[Finding]] = {pk: [] for pk in ids}
    findings = current_findings(user).filter(subject_type=SubjectType.PAIRING, subject_id__in=ids)
    for finding in findings.select_related("run").order_by("rule", "-run__as_of"):
        found[finding.subject_id].append(finding)
    return found


ELIGIBLE_YEARS_KEY = "R-C1.rotation_eligible_years"


def eligible_years_threshold(school_year: int, edition: PolicyEdition | None = None) -> ThresholdValue | None:
    """R-C1's continuous years on the school year's 1 September: of the edition given (None when it holds no such
    threshold), else of the edition in force that day holding it (as `thresholds_in_force` looks for a key)."""
    day = date(school_year, 9, 1)
    if edition is None:
        return thresholds_in_force(day, [ELIGIBLE_YEARS_KEY]).get(ELIGIBLE_YEARS_KEY)
    threshold = edition.thresholds.filter(key=ELIGIBLE_YEARS_KEY).first()
    if threshold is None or threshold.value is None:
        return None
    return ThresholdValue(
        threshold.key,
        threshold.value,
        threshold.comparator,
        threshold.unit,
        threshold.source,
        threshold.clause,
        edition=edition.code,
        note=threshold.note,
    )
