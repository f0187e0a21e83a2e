"""What other apps and the pages read of the evaluation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from junheng.core.editions import thresholds_on
from junheng.core.periods import SchoolYear
from junheng.organisations.models import Cluster, ClusterMembership, District, School, in_force_on

from .balance import CV_LIMIT_KEYS, Spread, spreads
from .models import AppraisalForm, ClusterResult, PrincipalAppraisal, ResourceRecord


def latest_cluster_results(year: int, district: District | None = None) -> dict[Cluster, list[ClusterResult]]:
    """Each cluster's results of its latest monitoring year up to `year`."""
    results = ClusterResult.objects.filter(year__lte=year).select_related("cluster__district")
    if district is not None:
        results = results.filter(cluster__district=district)
    by_cluster: dict[Cluster, list[ClusterResult]] = defaultdict(list)
    for result in results.order_by("cluster", "-year", "stage", "subject"):
        latest = by_cluster.get(result.cluster)
        if not latest or latest[0].year == result.year:
            by_cluster[result.cluster].append(result)
    return dict(by_cluster)


def school_year_end(school_year: int) -> date:
    """Clusters are taken as they stood at the end of the school year, as for the monitoring."""
    return date(school_year + 1, 6, 30)


def resource_cv_limits(school_year: int) -> dict[str, Decimal | None]:
    """The spread limits in force at the end of the school year, per stage."""
    found = thresholds_on(school_year_end(school_year), CV_LIMIT_KEYS.values())
    return {stage: found[key].value if key in found else None for stage, key in CV_LIMIT_KEYS.items()}


def resource_spreads(school_year: int, districts: Any = (), clusters: Any = ()) -> list[Spread]:
    """The spread of the seven indicators in the given districts and clusters (querysets or lists)."""
    groups_of: dict[int, list[Any]] = defaultdict(list)
    district_by_id = {d.pk: d for d in districts}
    for school_id, district_id in School.objects.filter(district__in=list(district_by_id)).values_list(
        "pk", "district"
    ):
        groups_of[school_id].append(district_by_id[district_id])
    cluster_by_id = {c.pk: c for c in clusters}
    for school_id, cluster_id in ClusterMembership.objects.filter(
        in_force_on(school_year_end(school_year)), cluster__in=list(cluster_by_id)
    ).values_list("school", "cluster"):
        groups_of[school_id].append(cluster_by_id[cluster_id])
    records = ResourceRecord.objects.filter(school_year=school_year, school__in=list(groups_of))
    return spreads(records, groups_of, resource_cv_limits(school_year))


def resource_records_of(cluster: Cluster) -> list[ResourceRecord]:
    """The records of the schools that were the cluster's members at the end of each year recorded."""
    members = ClusterMembership.objects.filter(cluster=cluster)
    records = ResourceRecord.objects.filter(school__in=members.values("school")).select_related("school")
    spans = defaultdict(list)
    for m in members:
        spans[m.school_id].append((m.start_date, m.end_date))
    return [
        r
        for r in records
        if any(
            start <= school_year_end(r.school_year) and (end is None or school_year_end(r.school_year) <= end)
            for start, end in spans[r.school_id]
        )
    ]


def latest_cluster_spreads(as_of: date, district: District | None = None) -> dict[Cluster, list[Spread]]:
    """Each cluster's resource spreads of its latest school year recorded, up to the school year of `as_of`."""
    current = SchoolYear.containing(as_of).start_year
    clusters = Cluster.objects.select_related("district")
    if district is not None:
        clusters = clusters.filter(district=district)
    remaining = set(clusters)
    found: dict[Cluster, list[Spread]] = {}
    years = ResourceRecord.objects.filter(school_year__lte=current).values_list("school_year", flat=True)
    for year in sorted(set(years), reverse=True):
        for spread in resource_spreads(year, clusters=remaining):
            found.setdefault(spread.group, []).append(spread)
        remaining -= set(found)
    return found


CLUSTER_SHARE_KEY = "R-E1.cluster_share_of_appraisal"


@dataclass(frozen=True)
class ClusterAppraisals:
    """The appraisal forms a cluster's member schools' principals were appraised with in the latest year
    appraised: school → the form's cluster share (None: the school's principal has no appraisal that year)."""

    year: int
    shares: dict[School, Decimal | None]


def latest_cluster_appraisals(
    as_of: date, district: District | None = None
) -> dict[Cluster, ClusterAppraisals]:
    members = ClusterMembership.objects.filter(in_force_on(as_of)).select_related(
        "cluster__district", "school"
    )
    if district is not None:
        members = members.filter(cluster__district=district)
    by_cluster: dict[Cluster, list[School]] = defaultdict(list)
    for m in members:
        by_cluster[m.cluster].append(m.school)
    appraisals = (
        PrincipalAppraisal.objects.filter(
            form__year__lte=as_of.year, school__in=[s for schools in by_cluster.values() for s in schools]
        )
        .select_related("form")
        .prefetch_related("form__items")
    )
    forms_of: dict[int, dict[int, AppraisalForm]] = defaultdict(dict)  # school → year → form
    for appraisal in appraisals:
        forms_of[appraisal.school_id][appraisal.form.year] = appraisal.form
    found = {}
    for cluster, schools in by_cluster.items():
        years = {year for s in schools for year in forms_of[s.pk]}
        if years:
            year = max(years)
            forms = {s: forms_of[s.pk].get(year) for s in schools}
            found[cluster] = ClusterAppraisals(
                year, {s: None if form is None else form.cluster_share() for s, form in forms.items()}
            )
    return found
