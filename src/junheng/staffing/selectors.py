"""Reading teacher flow: who is rotation-eligible (R-C1), the model clusters' flow the rules of S2 二(二) judge
(`cluster_flow`), and how long teachers have served in rotations inside their clusters (R-C9, R-C10), in bulk, in a
number of queries that does not grow with the number of teachers or schools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from junheng.core.periods import SchoolYear
from junheng.organisations.choices import ModelStatus, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School, in_force_on

from .choices import INFLOW_KINDS, RotationStatus
from .models import EligibilityExclusion, Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher
from .models.teachers import full_years


@dataclass(frozen=True)
class Eligibility:
    """A school's rotation-eligible teachers in a school year: employed there on 1 September for at least the
    edition's number of continuous years, less those marked not eligible that year (with their reasons)."""

    school_id: int
    school_year: int
    teachers: list[Teacher]
    excluded: list[tuple[Teacher, str]]
    # teacher -> the start of the employment at the school in force on 1 September (the current one may be later)
    since: dict[int, date] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.teachers)

    def employed_since(self, teacher: Teacher) -> date:
        return self.since.get(teacher.pk, teacher.employed_since)

    def continuous_years(self, teacher: Teacher, day: date) -> int:
        """Whole years at the school on the day, of the employment that made the teacher eligible."""
        return full_years(self.employed_since(teacher), day)


def eligible_since(school_year: int, years: int) -> date:
    """The latest employment start that makes a teacher eligible in the school year."""
    first_day = SchoolYear(school_year).start
    try:
        return first_day.replace(year=first_day.year - years)
    except ValueError:  # 29 February
        return first_day.replace(year=first_day.year - years, day=28)


def _eligible_employments(school_ids: list[int], school_year: int, years: int) -> Any:
    """The employments in force on the year's 1 September that began early enough."""
    return Employment.objects.filter(
        in_force_on(SchoolYear(school_year).start),
        school__in=school_ids,
        start_date__lte=eligible_since(school_year, years),
    )


def eligible_counts(school_ids: Iterable[int], school_year: int, years: int) -> dict[int, int]:
    """Per school, how many teachers are eligible in the school year (one query, for the rules, which count)."""
    ids = list(school_ids)
    excluded = EligibilityExclusion.objects.filter(school_year=school_year).values("teacher")
    counted = (
        _eligible_employments(ids, school_year, years)
        .exclude(teacher__in=excluded)
        .values("school")
        .annotate(n=Count("teacher"))
        .order_by()
    )
    found = {row["school"]: row["n"] for row in counted}
    return {pk: found.get(pk, 0) for pk in ids}


def eligibility(school_ids: Iterable[int], school_year: int, years: int) -> dict[int, Eligibility]:
    """Per school, its eligible teachers in the school year (two queries, whatever the number of schools)."""
    ids = list(school_ids)
    employments = (
        _eligible_employments(ids, school_year, years)
        .select_related("teacher")
        .order_by("school", "teacher__name", "teacher__staff_number")
    )
    reasons = dict(
        EligibilityExclusion.objects.filter(
            school_year=school_year, teacher__in=[e.teacher_id for e in employments]
        ).values_list("teacher", "reason")
    )
    teachers: dict[int, list[Teacher]] = defaultdict(list)
    excluded: dict[int, list[tuple[Teacher, str]]] = defaultdict(list)
    since: dict[int, dict[int, date]] = defaultdict(dict)
    for employment in employments:
        since[employment.school_id][employment.teacher_id] = employment.start_date
        if employment.teacher_id in reasons:
            excluded[employment.school_id].append((employment.teacher, reasons[employment.teacher_id]))
        else:
            teachers[employment.school_id].append(employment.teacher)
    return {pk: Eligibility(pk, school_year, teachers[pk], excluded[pk], since[pk]) for pk in ids}


def eligibility_rows(found: Eligibility, years_on: date) -> list[dict[str, Any]]:
    """The eligible teachers as the command and the export list them."""
    return [
        {
            "staff_number": t.staff_number,
            "name": t.name,
            "subject": t.subject,
            "backbone_tier": t.get_backbone_tier_display() if t.backbone_tier else "",
            "cadre": t.get_cadre_display() if t.cadre else "",
            "employed_since": found.employed_since(t).isoformat(),
            "continuous_years": found.continuous_years(t, years_on),
        }
        for t in found.teachers
    ]


# The clusters S2 二(二) binds: those creating model status and those accredited.
MODEL_STATUSES = (ModelStatus.CREATING, ModelStatus.ACCREDITED)
# The rotations that count: filed with the district bureau (备案), in progress or ended. A proposal, or one agreed
# by the cluster and not yet filed, is not yet a rotation.
COUNTED_STATUSES = (RotationStatus.FILED, RotationStatus.IN_PROGRESS, RotationStatus.ENDED)
YEARS_BACK = 2  # rotations still inside a three-year term, and the previous year's appraisals and returns


@dataclass
class ClusterFlow:
    """Teacher flow in the model clusters around the school year containing `as_of`: the clusters, their dated
    memberships, the counted rotations touching their schools from two school years before to the year's end
    (with their appraisals), the clusters' staffing plans for the year and the quality schools with teachers on
    1 September. Eligibility is read when a rule asks, with the edition's years."""

    as_of: date
    school_year: SchoolYear
    clusters: list[Cluster]
    memberships: list[ClusterMembership]
    rotations: list[Rotation]
    appraisals: dict[int, list[RotationAppraisal]]
    plans: dict[int, StaffingPlan]
    staffed: set[int]
    _eligible: dict[int, dict[int, int]] = field(default_factory=dict)
    _by_school: dict[int, list[ClusterMembership]] = field(default_factory=dict)
    _out_of: dict[int, list[Rotation]] = field(default_factory=dict)
    _into: dict[int, list[Rotation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for membership in self.memberships:
            self._by_school.setdefault(membership.school_id, []).append(membership)
        for rotation in self.rotations:
            self._out_of.setdefault(rotation.from_school_id, []).append(rotation)
            self._into.setdefault(rotation.host_id, []).append(rotation)

    def out_of(self, school_id: int) -> list[Rotation]:
        """The rotations from the school (its teachers going elsewhere), by start."""
        return self._out_of.get(school_id, [])

    def into(self, school_id: int) -> list[Rotation]:
        """The rotations the school receives, by start."""
        return self._into.get(school_id, [])

    def members(self, tier: str) -> list[School]:
        """The schools of the tier in a model cluster on the as-of date, each once."""
        found = {
            m.school_id: m.school for m in self.memberships if m.tier == tier and self._on(m, self.as_of)
        }
        return sorted(found.values(), key=lambda s: (s.district_id, s.name, s.pk))

    def eligible_counts(self, years: int) -> dict[int, int]:
        """How many teachers each quality school has eligible on 1 September, with the edition's years."""
        if years not in self._eligible:
            quality = [s.pk for s in self.members(Tier.QUALITY)]
            self._eligible[years] = eligible_counts(quality, self.school_year.start_year, years)
        return self._eligible[years]

    def clusters_of(self, school_id: int, tier: str, day: date) -> set[int]:
        return {
            m.cluster_id for m in self._by_school.get(school_id, ()) if m.tier == tier and self._on(m, day)
        }

    def is_cluster_inflow(self, rotation: Rotation) -> bool:
        """An inflow from a quality school into a weaker school of the same model cluster, both members on the
        day it starts (R-C2)."""
        return rotation.kind in INFLOW_KINDS and bool(
            self.clusters_of(rotation.from_school_id, Tier.QUALITY, rotation.start_date)
            & self.clusters_of(rotation.host_id, Tier.WEAKER, rotation.start_date)
        )

    def starts_in_year(self, rotation: Rotation) -> bool:
        return self.school_year.start <= rotation.start_date <= self.school_year.end

    @staticmethod
    def _on(membership: ClusterMembership, day: date) -> bool:
        return membership.start_date <= day and (membership.end_date is None or membership.end_date >= day)


def cluster_flow(as_of: date, district: District | None = None) -> ClusterFlow:
    """The model clusters' teacher flow (seven queries, and one more for eligibility, whatever the number of
    clusters, schools, teachers or rotations)."""
    year = SchoolYear.containing(as_of)
    earliest = SchoolYear(year.start_year - YEARS_BACK).start
    clusters = Cluster.objects.filter(model_status__in=MODEL_STATUSES).select_related("district")
    if district is not None:
        clusters = clusters.filter(district=district)
    memberships = ClusterMembership.objects.filter(cluster__in=clusters, start_date__lte=year.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=earliest)
    )
    member_schools = memberships.values("school")
    rotations = (
        Rotation.objects.filter(status__in=COUNTED_STATUSES, start_date__lte=year.end)
        .alias(ends=Coalesce("actual_end", "planned_end"))
        .filter(ends__gte=earliest)
        .filter(Q(from_school__in=member_schools) | Q(host__in=member_schools))
    )
    appraisals: dict[int, list[RotationAppraisal]] = defaultdict(list)
    for appraisal in RotationAppraisal.objects.filter(rotation__in=rotations.values("pk")):
        appraisals[appraisal.rotation_id].append(appraisal)
    read_memberships = list(memberships.select_related("school"))
    quality = {m.school_id for m in read_memberships if m.tier == Tier.QUALITY}
    staffed = Employment.objects.filter(in_force_on(year.start), school__in=quality).values_list(
        "school", flat=True
    )
    return ClusterFlow(
        as_of=as_of,
        school_year=year,
        clusters=list(clusters),
        memberships=read_memberships,
        rotations=list(rotations.select_related("teacher").order_by("start_date", "pk")),
        appraisals=dict(appraisals),
        plans={
            p.cluster_id: p
            for p in StaffingPlan.objects.filter(cluster__in=clusters, school_year=year.start_year)
        },
        staffed=set(staffed.distinct()),
    )


@dataclass(frozen=True)
class Service:
    """One rotation as a teacher's record counts it: whether both schools were in one cluster when it began, and
    the whole months served up to the day (or its end)."""

    rotation: Rotation
    clusters: frozenset[int]  # the clusters both schools belonged to on the start date
    months: int

    @property
    def inside_cluster(self) -> bool:
        return bool(self.clusters)


def full_months(start: date, end: date) -> int:
    """Whole months from start to end, both days served (1 September to 31 August is 12)."""
    after = date.fromordinal(end.toordinal() + 1)  # the service runs up to, not including, this day
    months = (after.year - start.year) * 12 + after.month - start.month - (after.day < start.day)
    return max(months, 0)


def service_of(rotations: Iterable[Rotation], day: date) -> list[Service]:
    """Each rotation's service up to the day, with the clusters of both schools read in one query."""
    found = list(rotations)
    schools = {pk for r in found for pk in (r.from_school_id, r.host_id)}
    memberships = ClusterMembership.objects.filter(school__in=schools).values_list(
        "cluster", "school", "start_date", "end_date"
    )
    periods: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for cluster, school, start, end in memberships:
        periods[school].append((cluster, start, end))

    def clusters_on(school: int, on: date) -> set[int]:
        return {c for c, start, end in periods[school] if start <= on and (end is None or end >= on)}

    services = []
    for rotation in found:
        shared = clusters_on(rotation.from_school_id, rotation.start_date) & clusters_on(
            rotation.host_id, rotation.start_date
        )
        served = (
            full_months(rotation.start_date, min(rotation.end, day))
            if rotation.status in COUNTED_STATUSES
            else 0
        )
        services.append(Service(rotation, frozenset(shared), served))
    return services


def months_inside_clusters(services: Iterable[Service]) -> int:
    return sum(s.months for s in services if s.inside_cluster)


def cluster_service_by_teacher(
    teachers: Any, day: date, at_least_months: int = 0
) -> list[tuple[Teacher, int]]:
    """(teacher, months of rotation inside clusters) of the given teachers (a queryset), those with at least
    `at_least_months`, the longest first. Three queries, whatever the number of teachers."""
    rotations = Rotation.objects.filter(teacher__in=teachers, status__in=COUNTED_STATUSES).select_related(
        "teacher__employer"
    )
    months: dict[int, int] = defaultdict(int)
    teacher_of: dict[int, Teacher] = {}
    for service in service_of(rotations, day):
        if service.inside_cluster:
            months[service.rotation.teacher_id] += service.months
            teacher_of[service.rotation.teacher_id] = service.rotation.teacher
    rows = [(teacher_of[pk], n) for pk, n in months.items() if n >= at_least_months]
    return sorted(rows, key=lambda row: (-row[1], row[0].employer.name, row[0].name))


@dataclass
class ClusterYearRotations:
    """The counted rotations of one cluster's schools starting in a school year: out of a member or into one,
    with the cluster's memberships to tell which tier each school held on the day a rotation began (R-E2)."""

    school_year: SchoolYear
    memberships: list[ClusterMembership]
    rotations: list[Rotation]

    def tier_on(self, school_id: int, day: date) -> str | None:
        """The school's tier in the cluster on the day, or None outside it."""
        return next(
            (
                m.tier
                for m in self.memberships
                if m.school_id == school_id
                and m.start_date <= day
                and (m.end_date is None or m.end_date >= day)
            ),
            None,
        )

    def out_of(self, school_id: int) -> list[Rotation]:
        return [r for r in self.rotations if r.from_school_id == school_id]

    def into_weaker(self) -> list[Rotation]:
        """Inflow into the cluster's weaker schools (each a weaker member on the day the rotation began)."""
        return [
            r
            for r in self.rotations
            if r.kind in INFLOW_KINDS and self.tier_on(r.host_id, r.start_date) == Tier.WEAKER
        ]


def cluster_year_rotations(cluster: Cluster, school_year: int) -> ClusterYearRotations:
    """Two queries, whatever the number of teachers or rotations."""
    year = SchoolYear(school_year)
    memberships = list(
        ClusterMembership.objects.filter(cluster=cluster, start_date__lte=year.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=year.start)
        )
    )
    schools = {m.school_id for m in memberships}
    rotations = (
        Rotation.objects.filter(
            status__in=COUNTED_STATUSES, start_date__gte=year.start, start_date__lte=year.end
        )
        .filter(Q(from_school__in=schools) | Q(host__in=schools))
        .select_related("teacher", "from_school", "host")
        .order_by("start_date", "pk")
    )
    return ClusterYearRotations(year, memberships, list(rotations))
