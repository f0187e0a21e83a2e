"""The facts of shared courses that the policy's rules read (R-D1): for the model clusters, their members in the
semester containing a day, the courses each member offers that semester, and the cluster's courses this school
year and the year before — in a fixed number of queries whatever the number of clusters."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from junheng.core.periods import SchoolYear, Semester
from junheng.organisations.models import Cluster, ClusterMembership
from junheng.staffing.selectors import MODEL_STATUSES

from .models import SharedCourse


@dataclass
class ClusterCourses:
    as_of: date
    semester: Semester
    clusters: list[Any]
    members: dict[int, list[Any]]  # cluster → its member schools during the semester
    offered: Counter[tuple[int, int]]  # (cluster, school) → courses offered in the semester
    this_year: Counter[int]  # cluster → distinct courses (school and title) in the school year
    last_year: Counter[int]

    def in_semester(self, cluster_id: int) -> int:
        return sum(n for (c, _school), n in self.offered.items() if c == cluster_id)


def cluster_courses(as_of: date, district: Any = None) -> ClusterCourses:
    semester = Semester.containing(as_of)
    year = semester.school_year.start_year
    clusters = Cluster.objects.filter(model_status__in=MODEL_STATUSES).select_related("district")
    if district is not None:
        clusters = clusters.filter(district=district)
    during = Q(start_date__lte=semester.end) & (Q(end_date__isnull=True) | Q(end_date__gte=semester.start))
    members: dict[int, list[Any]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for m in (
        ClusterMembership.objects.filter(during, cluster__in=clusters)
        .select_related("school")
        .order_by("school__name")
    ):
        if (m.cluster_id, m.school_id) not in seen:
            seen.add((m.cluster_id, m.school_id))
            members[m.cluster_id].append(m.school)
    courses = SharedCourse.objects.filter(cluster__in=clusters, school_year__in=(year - 1, year))
    offered: Counter[tuple[int, int]] = Counter()
    by_year: dict[int, set[tuple[int, int, str]]] = {year: set(), year - 1: set()}
    for cluster_id, school_id, school_year, number, title in courses.values_list(
        "cluster", "school", "school_year", "semester", "title"
    ):
        by_year[school_year].add((cluster_id, school_id, title))
        if school_year == year and number == semester.number:
            offered[(cluster_id, school_id)] += 1
    return ClusterCourses(
        as_of=as_of,
        semester=semester,
        clusters=list(clusters),
        members=dict(members),
        offered=offered,
        this_year=Counter(c for c, _s, _t in by_year[year]),
        last_year=Counter(c for c, _s, _t in by_year[year - 1]),
    )


def school_year_of(facts: ClusterCourses) -> SchoolYear:
    return facts.semester.school_year
