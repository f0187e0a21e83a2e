"""Scoped and rule-facing reads of joint research, visits and probation: the model clusters' research facts for the
rules R-D5 and R-D7 (a fixed number of queries whatever the number of clusters), and the visits per school and
semester for the R-D6 report."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from junheng.core.periods import Semester
from junheng.organisations.choices import ModelStatus
from junheng.organisations.models import Cluster, ClusterMembership, District, in_force_on

from .models import ClusterResearchSetting, NewTeacherProbation, ResearchActivity, SupervisoryVisit
from .research_choices import COUNTED_KINDS, default_subjects

# The clusters S2 asks this of: those creating model status or accredited (as staffing.selectors' flow).
MODEL_STATUSES = (ModelStatus.CREATING, ModelStatus.ACCREDITED)


@dataclass
class ClusterResearch:
    """One model cluster's research as of a day: the subjects judged, the counted activities of the semester so
    far by subject, and the probations running in the semester with the schools allowed for them."""

    cluster: Cluster
    subjects: list[str]
    explicit: bool  # the cluster's own list, not the default of its stages
    counts: dict[str, int]
    probations: list[NewTeacherProbation] = field(default_factory=list)
    allowed_schools: dict[int, str] = field(default_factory=dict)  # lead and development school: id -> name


@dataclass
class ResearchFacts:
    as_of: date
    semester: Semester
    clusters: list[ClusterResearch]


def cluster_research(as_of: date, district: District | None = None) -> ResearchFacts:
    """Five queries whatever the number of clusters."""
    semester = Semester.containing(as_of)
    clusters = Cluster.objects.filter(model_status__in=MODEL_STATUSES).select_related("lead_school")
    if district is not None:
        clusters = clusters.filter(district=district)
    clusters = clusters.order_by("pk")
    settings = {
        s.cluster_id: s
        for s in ClusterResearchSetting.objects.filter(cluster__in=clusters).select_related(
            "teacher_development_school"
        )
    }
    stages: dict[int, set[str]] = defaultdict(set)
    for cluster_id, stage in ClusterMembership.objects.filter(
        in_force_on(as_of), cluster__in=clusters
    ).values_list("cluster", "school__stage"):
        stages[cluster_id].add(stage)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    activities = ResearchActivity.objects.filter(
        cluster__in=clusters, kind__in=COUNTED_KINDS, date__gte=semester.start, date__lte=as_of
    )
    for activity in activities.only("cluster", "subjects"):
        counts[activity.cluster_id].update(activity.subject_list)
    probations: dict[int, list[NewTeacherProbation]] = defaultdict(list)
    running = NewTeacherProbation.objects.filter(cluster__in=clusters, start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=semester.start)
    )
    for probation in running.select_related("probation_school").order_by("start_date", "name", "pk"):
        probations[probation.cluster_id].append(probation)
    found = []
    for cluster in clusters:
        setting = settings.get(cluster.pk)
        own = setting.subject_list if setting else []
        subjects = own or default_subjects(stages[cluster.pk])
        allowed = {}
        if cluster.lead_school:
            allowed[cluster.lead_school.pk] = cluster.lead_school.name
        if setting and setting.teacher_development_school:
            school = setting.teacher_development_school
            allowed.setdefault(school.pk, school.name)
        found.append(
            ClusterResearch(
                cluster=cluster,
                subjects=subjects,
                explicit=bool(own),
                counts={subject: counts[cluster.pk][subject] for subject in subjects},
                probations=probations[cluster.pk],
                allowed_schools=allowed,
            )
        )
    return ResearchFacts(as_of=as_of, semester=semester, clusters=found)


# The visits report (R-D6) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRow:
    cluster: str
    school: str
    semester: str
    visits: int
    actions: int
    open_actions: int
    overdue_actions: int


def visits_by_school(user: Any, as_of: date, cluster: Cluster | None = None) -> list[VisitRow]:
    """The visits the user sees, counted per cluster, school and semester, with their follow-up actions: S2 asks
    for regular visits (定期视导) and sets no number, so the report counts and judges nothing."""
    visits = SupervisoryVisit.objects.restrict(user).select_related("cluster", "school")
    if cluster is not None:
        visits = visits.filter(cluster=cluster)
    rows: dict[tuple[str, str, Semester], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for visit in visits.prefetch_related("follow_ups").order_by("date", "pk"):
        counted = rows[(visit.cluster.name, visit.school.name, Semester.containing(visit.date))]
        counted[0] += 1
        for action in visit.follow_ups.all():
            counted[1] += 1
            counted[2] += action.status == "open"
            counted[3] += action.is_overdue(as_of)
    ordered = sorted(rows.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]))
    return [
        VisitRow(cluster_name, school, str(semester), *numbers)
        for (cluster_name, school, semester), numbers in ordered
    ]
