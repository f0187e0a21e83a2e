"""The layout advisor's platform mode (issue 17, item 5; R-A5): a district's schools from the records, laid out by
the same `propose` as analyst mode, beside the district's current layout measured the same way.

From the records, on a day:
- the schools are the district's with coordinates (those without are listed, not laid out);
- a school's tier is the one its memberships in force give it — quality if any cluster holds it as a quality
  school — and a school in no cluster counts as weaker: only a school some cluster names quality may lead, and a
  school outside every cluster is one the layout must take in (S2 二(一)1: weaker schools taken in first);
- its students are those of its latest yearly count (SchoolYearCount) up to the day's school year, 0 without one
  (such a school weighs nothing in the objective; the page names them);
- the default size bounds are the district's smallest and largest current cluster (members in force, lead
  included), else at least 2 and no upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from junheng.organisations.choices import Tier
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    District,
    School,
    SchoolYearCount,
    in_force_on,
)

from . import ClusterResult, LayoutResult, clusters_of, propose
from .problem import QUALITY, SMALLEST, WEAKER, Group, Options
from .problem import School as LayoutSchool


def school_key(school: School) -> str:
    """A school as the advisor names it: its code, or its number on the platform where it has none."""
    return school.code or f"#{school.pk}"


def school_year_of(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


@dataclass
class CurrentCluster:
    cluster: Cluster
    size: int  # members in force, lead included, with or without coordinates
    result: ClusterResult | None  # None: no quality member with coordinates to measure from


@dataclass
class DistrictLayout:
    """A district's schools as the advisor sees them, and its current layout."""

    district: District
    day: date
    schools: list[LayoutSchool]
    records: dict[str, School]  # key → record
    unplaced: list[School] = field(default_factory=list)  # without coordinates
    uncounted: list[str] = field(default_factory=list)  # keys of schools without a yearly count
    current: list[CurrentCluster] = field(default_factory=list)

    @property
    def default_bounds(self) -> tuple[int, int | None]:
        sizes = [c.size for c in self.current]
        return (min(sizes), max(sizes)) if sizes else (SMALLEST, None)

    @property
    def weaker(self) -> set[str]:
        return {s.code for s in self.schools if s.tier == WEAKER}


def district_layout(district: District, day: date) -> DistrictLayout:
    records = list(School.objects.filter(district=district).order_by("code", "pk"))
    located = [s for s in records if s.latitude is not None and s.longitude is not None]
    memberships = list(
        ClusterMembership.objects.filter(in_force_on(day), cluster__district=district).select_related(
            "cluster"
        )
    )
    quality = {m.school_id for m in memberships if m.tier == Tier.QUALITY}
    students = _students(located, school_year_of(day))
    schools = [
        LayoutSchool(
            code=school_key(s),
            district=district.code,
            stage=s.stage,
            tier=QUALITY if s.pk in quality else WEAKER,
            students=students.get(s.pk, 0),
            lon=float(s.longitude or 0),
            lat=float(s.latitude or 0),
        )
        for s in located
    ]
    found = DistrictLayout(
        district,
        day,
        schools,
        {school_key(s): s for s in located},
        unplaced=[s for s in records if s not in located],
        uncounted=[school_key(s) for s in located if s.pk not in students],
    )
    found.current = _current(district, memberships, found)
    return found


def _students(schools: list[School], school_year: int) -> dict[int, int]:
    counts = SchoolYearCount.objects.filter(school__in=schools, school_year__lte=school_year).order_by(
        "school", "-school_year"
    )
    latest: dict[int, int] = {}
    for count in counts:
        latest.setdefault(count.school_id, count.students)
    return latest


def _current(
    district: District, memberships: list[ClusterMembership], layout: DistrictLayout
) -> list[CurrentCluster]:
    """The current clusters measured as the advisor measures a proposal: members with coordinates, with the tier
    each holds in that cluster, distances to the lead school (or, where the record names none among them, to the
    first quality member)."""
    key_of = {r.pk: key for key, r in layout.records.items()}
    by_key = {s.code: s for s in layout.schools}
    clusters: dict[int, Cluster] = {}
    sizes: dict[int, int] = {}
    members: dict[int, list[LayoutSchool]] = {}
    for m in sorted(memberships, key=lambda m: (m.cluster_id, m.school_id)):
        clusters[m.cluster_id] = m.cluster
        sizes[m.cluster_id] = sizes.get(m.cluster_id, 0) + 1
        if m.school_id in key_of:
            members.setdefault(m.cluster_id, []).append(
                replace(by_key[key_of[m.school_id]], tier=str(m.tier))
            )
    current = []
    for pk, cluster in sorted(clusters.items(), key=lambda item: item[1].name):
        schools = members.get(pk, [])
        lead = key_of.get(cluster.lead_school_id or 0)
        if lead not in {s.code for s in schools}:
            lead = next((s.code for s in schools if s.tier == QUALITY), None)
        result = None
        if lead is not None:
            group = Group(district.code, None, tuple(schools), 0, None)
            result = clusters_of(group, {s.code: lead for s in schools})[0]
        current.append(CurrentCluster(cluster, sizes[pk], result))
    return current


def bounds_for(layout: DistrictLayout, options: Options) -> Options:
    """The options with the bounds the form leaves empty taken from the current layout."""
    low, high = layout.default_bounds
    return Options(
        options.min_size if options.min_size is not None else low,
        options.max_size if options.max_size is not None else high,
        options.mixed_stages,
    )


def propose_for(layout: DistrictLayout, options: Options) -> LayoutResult:
    """The proposal for the district, on the bounds of `bounds_for`. Raises NoLayout."""
    return propose(layout.schools, bounds_for(layout, options))


def summary(clusters: list[ClusterResult], weaker: set[str]) -> dict[str, Any]:
    """A layout's figures for the comparison: clusters, sizes, mean km per student over all its clusters (Σ
    students · mean_km / Σ students), the worst km, and how many of the district's weaker schools it takes in."""
    students = sum(c.students for c in clusters)
    sizes = [len(c.members) for c in clusters]
    covered = weaker & {code for c in clusters for code in c.members}
    return {
        "clusters": len(clusters),
        "smallest": min(sizes, default=0),
        "largest": max(sizes, default=0),
        "students": students,
        "student_km": round(sum(c.mean_km * c.students for c in clusters), 3),
        "mean_km": round(sum(c.mean_km * c.students for c in clusters) / students, 3) if students else 0.0,
        "worst_km": round(max((c.worst_km for c in clusters), default=0.0), 3),
        "weaker_covered": len(covered),
        "weaker_total": len(weaker),
    }
