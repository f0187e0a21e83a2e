"""Shared courses (R-D1) and their cross-school enrolment (R-D3): a member school offers a course to its cluster
for a semester; the cluster office opens an enrolment round, the students' schools enter their ranked choices,
and the office closes the round and allocates the seats with the seeded lottery of `sharing.allocation`.

Students are the most private records here: a student appears — by its student number and name only — to its own
school (and that school's district), to the cluster office of a round it applied in, and to the schools whose
courses it holds a seat in. Cluster mates see courses and rounds, never the others' students.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage
from junheng.core.periods import SchoolYear, Semester
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster, ClusterMembership, School

from ..allocation import canonical_slot
from ..course_choices import CourseKind, EnrolmentStatus, RoundStatus, SemesterNumber

# The school years a course or a round may be of: a semester's dates are computed from it, so a year out of any
# plausible range is refused before that.
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def semester_of(school_year: int, number: int) -> Semester:
    return Semester(SchoolYear(school_year), number)


def check_slots(value: Any) -> None:
    """Weekly slots are stored as a list of `Mon3` (weekday and period), as the allocation compares them."""
    if not isinstance(value, list) or any(not isinstance(s, str) or canonical_slot(s) != s for s in value):
        raise ValidationError(_("Write each weekly slot as a weekday and a period, e.g. Mon3."))


def check_sessions(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Write each session as a date, e.g. 2025-03-14."))
    for text in value:
        try:
            date.fromisoformat(str(text))
        except ValueError as bad:
            raise ValidationError(_("Write each session as a date, e.g. 2025-03-14.")) from bad


def members_during(cluster: Any, semester: Semester) -> Q:
    """The memberships of `cluster` in force on some day of the semester."""
    return Q(cluster=cluster, start_date__lte=semester.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=semester.start)
    )


def clusters_of(schools: frozenset[int]) -> Any:
    return ClusterMembership.objects.filter(school__in=schools).values("cluster")


class SharedCourseQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the offering school and by the cluster it is shared in (its office and its member
    schools); changed by the offering school and its district."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(school__in=School.objects.within(scope, action))
        reach = Q(school__in=School.objects.within(scope, action)) | Q(cluster__in=scope.clusters)
        reach |= Q(cluster__district__in=scope.districts)
        if scope.schools:
            reach |= Q(cluster__in=clusters_of(scope.schools))
        return reach


class SharedCourse(DetailPage, models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("offering school"), on_delete=models.PROTECT, related_name="shared_courses"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("shared in cluster"), on_delete=models.PROTECT, related_name="shared_courses"
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year (starting year)"),
        help_text=_("2024 for the school year 2024-2025"),
        validators=YEAR_VALIDATORS,
    )
    semester = models.PositiveSmallIntegerField(_("semester"), choices=SemesterNumber.choices)
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    stages = models.CharField(_("stages"), max_length=50, blank=True, help_text=_("e.g. 小学、初中"))
    grades = models.CharField(_("grades"), max_length=50, blank=True, help_text=_("e.g. 3-5年级"))
    capacity = models.PositiveIntegerField(_("capacity (students)"))
    slots = models.JSONField(_("weekly slots"), default=list, blank=True, validators=[check_slots])
    sessions = models.JSONField(_("dated sessions"), default=list, blank=True, validators=[check_sessions])
    teacher = models.CharField(_("teacher"), max_length=50, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = SharedCourseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year", "-semester", "cluster", "school", "title"]
        verbose_name = _("shared course")
        verbose_name_plural = _("shared courses")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "cluster", "school_year", "semester", "title"],
                name="shared_course_unique_title",
                violation_error_message=_("The school already offers a course of this title that semester."),
            ),
            models.CheckConstraint(
                condition=Q(semester__in=(1, 2)),
                name="shared_course_semester_1_or_2",
                violation_error_message=_("A school year has a first and a second semester."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.school}）"

    @property
    def term(self) -> Semester:
        return semester_of(self.school_year, self.semester)

    @property
    def course_code(self) -> str:
        """How the round's files and the allocation name the course."""
        return f"C{self.pk}"

    def clean(self) -> None:
        plausible = FIRST_YEAR <= (self.school_year or 0) <= LAST_YEAR
        if self.school_id and self.cluster_id and plausible and self.semester in (1, 2):
            during = members_during(self.cluster_id, self.term)
            if not ClusterMembership.objects.filter(during, school=self.school_id).exists():
                raise ValidationError(
                    {"cluster": _("The school is not a member of this cluster during the semester.")}
                )


class StudentQuerySet(RestrictedQuerySet):
    """A student is seen by its own school and district, by the cluster office of a round it applied in, and by
    the schools whose courses it holds a seat in; changed by its own school and district."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        own = Q(school__in=scope.schools) | Q(school__district__in=scope.districts)
        if action != Action.VIEW:
            return own
        applied = CourseApplication.objects.filter(round__cluster__in=scope.clusters).values("student")
        seated = CourseEnrolment.objects.filter(course__school__in=scope.schools, status__in=SEATED).values(
            "student"
        )
        return own | Q(pk__in=applied) | Q(pk__in=seated)


class Student(DetailPage, models.Model):
    """The least a cross-school enrolment needs of a student: its number, its name and its school."""

    student_number = models.CharField(_("student number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = StudentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "student_number"]
        verbose_name = _("student")
        verbose_name_plural = _("students")

    def __str__(self) -> str:
        return f"{self.name}（{self.student_number}）"


def drawn_seed() -> int:
    """A round's seed, drawn when the round is made and published from then on: fixed before any application,
    it favours no one (and in the serial lottery no student gains by ranking other than it prefers)."""
    return secrets.randbelow(10**9)


class EnrolmentRoundQuerySet(RestrictedQuerySet):
    """Seen by whoever sees its cluster (its office, district and member schools); run by the cluster office
    and its district."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(cluster__in=scope.clusters) | Q(cluster__district__in=scope.districts)
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class EnrolmentRound(DetailPage, models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="enrolment_rounds"
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year (starting year)"),
        help_text=_("2024 for the school year 2024-2025"),
        validators=YEAR_VALIDATORS,
    )
    semester = models.PositiveSmallIntegerField(_("semester"), choices=SemesterNumber.choices)
    title = models.CharField(_("title"), max_length=100)
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    max_per_student = models.PositiveSmallIntegerField(_("courses per student at most"), default=2)
    seed = models.PositiveBigIntegerField(
        _("lottery seed"),
        default=drawn_seed,
        help_text=_("Published with the round, so that anyone can re-run the lottery."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True, editable=False)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allocated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The lottery's published result as `junheng allocate courses` writes it, before any seat was given up.
    result = models.JSONField(_("lottery result"), default=dict, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = EnrolmentRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year", "-semester", "cluster", "title"]
        verbose_name = _("enrolment round")
        verbose_name_plural = _("enrolment rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "school_year", "semester", "title"],
                name="enrolment_round_unique_title",
                violation_error_message=_("The cluster already has a round of this title that semester."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="enrolment_round_closes_after_opening",
                violation_error_message=_("Applications close on or after the day they open."),
            ),
            models.CheckConstraint(
                condition=Q(max_per_student__gte=1),
                name="enrolment_round_max_at_least_one",
                violation_error_message=_("A student may take at least one course."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.title}"

    @property
    def term(self) -> Semester:
        return semester_of(self.school_year, self.semester)

    def courses(self) -> models.QuerySet[SharedCourse]:
        """The courses it allocates: those shared in its cluster that semester."""
        return SharedCourse.objects.filter(
            cluster=self.cluster_id, school_year=self.school_year, semester=self.semester
        )


class CourseApplicationQuerySet(RestrictedQuerySet):
    """A student's choice is seen by its school and district and by the round's cluster office; entered by its
    school (or district) and by the cluster office, which runs the round."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        own = Q(student__school__in=scope.schools) | Q(student__school__district__in=scope.districts)
        return own | Q(round__cluster__in=scope.clusters)


class CourseApplication(DetailPage, models.Model):
    round = models.ForeignKey(
        EnrolmentRound,
        verbose_name=_("enrolment round"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="applications"
    )
    course = models.ForeignKey(
        SharedCourse, verbose_name=_("course"), on_delete=models.PROTECT, related_name="applications"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 for the course wanted most"))

    objects = CourseApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "student", "rank"]
        verbose_name = _("course application")
        verbose_name_plural = _("course applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student", "course"],
                name="course_application_once_per_course",
                violation_error_message=_("The student already applied for this course in the round."),
            ),
            models.UniqueConstraint(
                fields=["round", "student", "rank"],
                name="course_application_once_per_rank",
                violation_error_message=_("The student already gave a course this rank in the round."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="course_application_rank_from_one",
                violation_error_message=_("Ranks start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.student_number} → {self.course.title} ({self.rank})"

    def clean(self) -> None:
        if not (self.round_id and self.course_id and self.student_id):
            return
        round_, course = self.round, self.course
        if (course.cluster_id, course.school_year, course.semester) != (
            round_.cluster_id,
            round_.school_year,
            round_.semester,
        ):
            raise ValidationError(
                {"course": _("The course is not shared in this round's cluster and semester.")}
            )
        during = members_during(round_.cluster_id, round_.term)
        if not ClusterMembership.objects.filter(during, school=self.student.school_id).exists():
            raise ValidationError(
                {"student": _("The student's school is not a member of the round's cluster.")}
            )


SEATED = (EnrolmentStatus.ENROLLED.value, EnrolmentStatus.WITHDRAWN.value)


class CourseEnrolmentQuerySet(RestrictedQuerySet):
    """What the lottery gave a student: seen by the student's school and district, by the round's cluster office
    and district, and — for a seat, not a place on a waiting list — by the school offering the course. Written
    only by the allocation and by a withdrawal (services)."""

    creators = ()

    def scope_filter(self, scope: Scope, action: str) -> Q:
        own = Q(student__school__in=scope.schools) | Q(student__school__district__in=scope.districts)
        office = Q(round__cluster__in=scope.clusters) | Q(round__cluster__district__in=scope.districts)
        if action != Action.VIEW:
            return own | office
        return own | office | Q(course__school__in=scope.schools, status__in=SEATED)


class CourseEnrolment(DetailPage, models.Model):
    round = models.ForeignKey(
        EnrolmentRound, verbose_name=_("enrolment round"), on_delete=models.CASCADE, related_name="enrolments"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        SharedCourse, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    lottery = models.PositiveIntegerField(_("lottery number"))
    waiting_place = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    # The order of withdrawals in the round: replaying them on the lottery's result gives today's seats.
    withdrawal = models.PositiveIntegerField(_("withdrawal number"), null=True, blank=True, editable=False)

    objects = CourseEnrolmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "course", "status", "lottery"]
        verbose_name = _("course enrolment")
        verbose_name_plural = _("course enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student", "course"],
                name="course_enrolment_once",
                violation_error_message=_("The student already has this course in the round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student.student_number} · {self.course.title} · {self.get_status_display()}"
