"""Demo shared courses and cross-school enrolment (演示数据) in the demo city's clusters (S2 二(三)1, R-D1, R-D3),
for school years 2023-2024 to the first semester of 2025-2026, which starts on the demo's day (city.TODAY).

How a cluster's courses fare is set in turn over the model clusters, so that the small demo and the city both
show R-D1.a/b/c passing, at risk (checked on the demo's day) and failing (checked on 31 August 2025, the last day
of 2024-2025): its members offer more courses every year; the same, but one member school offers none from the
spring of 2025; only its lead school offers, two courses; every member offers the same two courses every year.
A school keeps its titles from year to year (R-D1.c counts a course once a year, by school and title) and adds
the next of its kinds as it offers more, so every kind of course appears.

The demo accounts' cluster (the first demo cluster, where the `cluster-office` account works) runs enrolment: its
member schools' students applied in the spring round of 2025, which the office closed and allocated with the real
service (the seeded lottery, its enrolments and history), and one student withdrew, moving a waiting list; the
autumn round of 2025 is open, with applications, and closes four days after the demo's day. Deterministic: a
seeded draw, everything in a fixed order, bulk inserts with history for all but the allocation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from junheng.organisations.choices import ModelStatus, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership
from junheng.sharing.allocation import release_seat
from junheng.sharing.course_choices import CourseKind, EnrolmentStatus
from junheng.sharing.course_services import (
    current_allocation,
    enrolment_withdraw,
    round_allocate,
    round_close,
)
from junheng.sharing.models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student

from .city import DEMO_MARK, GIVEN, SURNAMES, TODAY

SEMESTERS = ((2023, 1), (2023, 2), (2024, 1), (2024, 2), (2025, 1))  # (school year, semester) up to TODAY

# How a cluster's courses fare (see above), in turn over the model clusters; the other clusters grow.
GROWING, MEMBER_SHORT, FEW, FLAT = "growing", "member_short", "few", "flat"
PROFILES = (GROWING, MEMBER_SHORT, FEW, FLAT)
# Titles a member school offers each semester of a school year, by profile (FEW: its lead school only).
TITLES_A_YEAR = {
    GROWING: {2023: 1, 2024: 2, 2025: 3},
    MEMBER_SHORT: {2023: 1, 2024: 2, 2025: 3},
    FEW: {2023: 2, 2024: 2, 2025: 2},
    FLAT: {2023: 2, 2024: 2, 2025: 2},
}
SHORT_FROM = (2024, 2)  # MEMBER_SHORT: its last weaker school offers nothing from this semester

# A school's n-th course is of the n-th kind from its own starting kind; its title is the kind's title.
KINDS = list(CourseKind)
TITLES = {
    CourseKind.SUBJECT: ("数学思维拓展", "英语戏剧表演", "古诗文诵读"),
    CourseKind.AFTER_SCHOOL: ("足球", "合唱团", "书法"),
    CourseKind.STUDY_TRIP: ("走进上海科技馆", "江南古镇研学", "崇明湿地考察"),
    CourseKind.SCIENCE_LAB: ("机器人编程", "创客木工", "趣味化学实验"),
    CourseKind.FEATURED: ("非遗剪纸", "民乐团", "校园电视台"),
}
PLACES = {
    CourseKind.SUBJECT: "多功能教室",
    CourseKind.AFTER_SCHOOL: "体育馆",
    CourseKind.STUDY_TRIP: "校外教育基地",
    CourseKind.SCIENCE_LAB: "科创实验室",
    CourseKind.FEATURED: "艺术楼",
}
STAGE_TEXT: dict[str, tuple[str, str]] = {
    Stage.PRIMARY: ("小学", "3-5年级"),
    Stage.JUNIOR: ("初中", "6-8年级"),
}
SLOTS = ("Mon7", "Tue7", "Wed7", "Thu7", "Fri6", "Wed8")  # after-school periods: courses at one slot clash
CAPACITIES = (8, 10, 12, 15, 20, 30)

# The demo accounts' cluster's rounds, and its students.
STUDENTS_PER_SCHOOL = 12
CHOICES = 3
SPRING = {
    "school_year": 2024,
    "semester": 2,
    "title": "2025年春季跨校选课",
    "opens_on": date(2025, 1, 6),
    "closes_on": date(2025, 1, 17),
    "seed": 20250117,
}
ALLOCATED_AT = datetime.combine(date(2025, 1, 20), time(9, 30))
AUTUMN = {
    "school_year": 2025,
    "semester": 1,
    "title": "2025年秋季跨校选课",
    "opens_on": date(2025, 8, 25),
    "closes_on": TODAY + timedelta(days=4),
    "seed": 20250905,
}


@dataclass(frozen=True)
class Member:
    school: int
    code: str
    stage: str
    tier: str
    is_lead: bool


def demo_courses_remove() -> None:
    """Everything that names a demo course or student goes first: their records are protected."""
    CourseEnrolment.objects.filter(course__is_demo=True).delete()
    CourseApplication.objects.filter(course__is_demo=True).delete()
    EnrolmentRound.objects.filter(is_demo=True).delete()  # their applications and enrolments go with them
    Student.objects.filter(is_demo=True).delete()
    SharedCourse.objects.filter(is_demo=True).delete()


@transaction.atomic
def demo_courses_build(size: str) -> dict[str, int]:
    rng = random.Random(f"junheng-demo-courses-{size}")
    clusters = list(
        Cluster.objects.filter(is_demo=True)
        .order_by("district__code", "name")
        .values_list("pk", "lead_school", "model_status")
    )
    members: dict[int, list[Member]] = {pk: [] for pk, *_ in clusters}
    lead_of = {pk: lead for pk, lead, _status in clusters}
    for cluster, school, code, stage, tier in (
        ClusterMembership.objects.filter(cluster__in=list(members))
        .order_by("school__code")
        .values_list("cluster", "school", "school__code", "school__stage", "tier")
    ):
        members[cluster].append(Member(school, code, stage, tier, school == lead_of[cluster]))
    accounts_cluster = clusters[0][0] if clusters else None
    courses: list[SharedCourse] = []
    turn = 0
    for cluster, _lead, status in clusters:
        profile = GROWING
        if status in (ModelStatus.CREATING, ModelStatus.ACCREDITED) and cluster != accounts_cluster:
            profile = PROFILES[turn % len(PROFILES)]
            turn += 1
        courses += _courses(rng, cluster, members[cluster], profile)
    bulk_create_with_history(courses, SharedCourse, batch_size=5000, default_change_reason=DEMO_MARK)
    made = {"shared courses": len(courses)}
    if accounts_cluster is not None:
        made.update(_enrolment(rng, accounts_cluster, members[accounts_cluster]))
    return made


def _courses(rng: random.Random, cluster: int, members: list[Member], profile: str) -> list[SharedCourse]:
    offering = [m for m in members if m.is_lead] if profile == FEW else members
    short = [m for m in members if m.tier == Tier.WEAKER][-1:] if profile == MEMBER_SHORT else []
    made = []
    for position, member in enumerate(offering):
        first_kind = position % len(KINDS)
        # A school's courses keep their capacity, slot and teacher from year to year.
        kept = [
            (rng.choice(CAPACITIES), rng.choice(SLOTS), rng.choice(SURNAMES) + rng.choice(GIVEN) + "老师")
            for _ in range(max(TITLES_A_YEAR[profile].values()))
        ]
        for school_year, semester in SEMESTERS:
            if member in short and (school_year, semester) >= SHORT_FROM:
                continue
            for number in range(TITLES_A_YEAR[profile][school_year]):
                kind = KINDS[(first_kind + number) % len(KINDS)]
                capacity, slot, teacher = kept[number]
                made.append(
                    _course(member, cluster, school_year, semester, kind, number, capacity, slot, teacher)
                )
    return made


def _course(
    member: Member,
    cluster: int,
    school_year: int,
    semester: int,
    kind: CourseKind,
    number: int,
    capacity: int,
    slot: str,
    teacher: str,
) -> SharedCourse:
    stages, grades = STAGE_TEXT.get(member.stage, ("小学、初中", "4-8年级"))
    trip = kind == CourseKind.STUDY_TRIP  # a study trip runs on dated days, not weekly
    start = date(school_year, 10, 1) if semester == 1 else date(school_year + 1, 4, 1)
    return SharedCourse(
        school_id=member.school,
        cluster_id=cluster,
        school_year=school_year,
        semester=semester,
        title=TITLES[kind][number % len(TITLES[kind])],
        kind=kind,
        subject="综合实践" if trip else "",
        stages=stages,
        grades=grades,
        capacity=capacity,
        slots=[] if trip else [slot],
        sessions=[(start + timedelta(days=14 * k)).isoformat() for k in range(3)] if trip else [],
        teacher=teacher,
        place=PLACES[kind],
        is_demo=True,
    )


def _enrolment(rng: random.Random, cluster: int, members: list[Member]) -> dict[str, int]:
    """The accounts' cluster's students, its spring round allocated with one withdrawal, its autumn round open."""
    students = [
        Student(
            student_number=f"X{member.code}{n:03d}",
            name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
            school_id=member.school,
            is_demo=True,
        )
        for member in members
        for n in range(1, STUDENTS_PER_SCHOOL + 1)
    ]
    bulk_create_with_history(students, Student, batch_size=2000, default_change_reason=DEMO_MARK)
    saved = list(Student.objects.filter(is_demo=True, school__in=[m.school for m in members]).order_by("pk"))
    spring = EnrolmentRound.objects.create(cluster_id=cluster, is_demo=True, max_per_student=2, **SPRING)
    autumn = EnrolmentRound.objects.create(cluster_id=cluster, is_demo=True, max_per_student=2, **AUTUMN)
    applications = _applications(rng, spring, saved) + _applications(rng, autumn, saved[::2])
    bulk_create_with_history(
        applications, CourseApplication, batch_size=2000, default_change_reason=DEMO_MARK
    )
    round_close(actor=None, round_=spring)
    round_allocate(actor=None, round_=spring)
    EnrolmentRound.objects.filter(pk=spring.pk).update(allocated_at=timezone.make_aware(ALLOCATED_AT))
    withdrawn = _withdraw_where_waited(spring)
    return {
        "students": len(saved),
        "course applications": len(applications),
        "course enrolments": CourseEnrolment.objects.filter(round__in=(spring, autumn)).count(),
        "withdrawals": withdrawn,
    }


def _applications(
    rng: random.Random, round_: EnrolmentRound, students: list[Student]
) -> list[CourseApplication]:
    """Each student ranks CHOICES courses of other schools, the first courses of the round most wanted (so that
    some fill and keep a waiting list)."""
    courses = list(round_.courses().order_by("pk"))
    made = []
    for student in students:
        others = [c for c in courses if c.school_id != student.school_id]
        weights = [1 / (1 + position) for position in range(len(others))]
        chosen: list[SharedCourse] = []
        while len(chosen) < min(CHOICES, len(others)):
            course = rng.choices(others, weights=weights)[0]
            if course not in chosen:
                chosen.append(course)
        made += [
            CourseApplication(round=round_, student=student, course=course, rank=rank)
            for rank, course in enumerate(chosen, start=1)
        ]
    return made


def _withdraw_where_waited(round_: EnrolmentRound) -> int:
    """The first seat, by course and lottery order, whose giving up moves a waiting list is given up."""
    today = current_allocation(round_)
    seats = CourseEnrolment.objects.filter(round=round_, status=EnrolmentStatus.ENROLLED).select_related(
        "student", "course"
    )
    for seat in seats.order_by("course", "lottery"):
        code, number = seat.course.course_code, seat.student.student_number
        if release_seat(today, code, number).moves[-1].taken_by is not None:
            enrolment_withdraw(actor=None, enrolment=seat)
            return 1
    return 0
