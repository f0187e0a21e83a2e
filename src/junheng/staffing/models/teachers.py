"""Teachers. A teacher's employer (编制) is one dated fact with history (Employment); where the teacher works on a
date is another (rotations). Teacher.employer and employed_since are the current employment, kept by
staffing.services so that scope and lists need no join."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.constraints import NonOverlapping
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import ClusterMembership, School

from ..choices import BackboneTier, Cadre, TeachingStage


def schools_in_reach(scope: Scope, action: str) -> Q:
    """The schools whose teachers a scope reaches: its schools, and for a cluster office its member schools."""
    reach = Q(pk__in=School.objects.within(scope, action).values("pk"))
    if scope.clusters:
        reach |= Q(pk__in=ClusterMembership.objects.filter(cluster__in=scope.clusters).values("school"))
    return reach


class TeacherQuerySet(RestrictedQuerySet):
    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        from .rotations import Rotation

        if action != Action.VIEW:  # the employer's records: its school and district edit them
            return Q(employer__in=School.objects.within(scope, action))
        schools = School.objects.filter(schools_in_reach(scope, action))
        reach = Q(employer__in=schools)
        reach |= Q(
            pk__in=Rotation.objects.filter(host__in=schools).values("teacher")
        )  # and the ones it hosts
        if scope.user_id:
            reach |= Q(user=scope.user_id)
        return reach


class Teacher(DetailPage, models.Model):
    name = models.CharField(_("name"), max_length=50)
    staff_number = models.CharField(_("staff number"), max_length=30, unique=True)
    employer = models.ForeignKey(
        School, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="employed_teachers"
    )
    stage = models.CharField(_("stage taught"), max_length=10, choices=TeachingStage.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    backbone_tier = models.CharField(
        _("backbone tier"), max_length=20, choices=BackboneTier.choices, blank=True, default=BackboneTier.NONE
    )
    cadre = models.CharField(_("cadre"), max_length=10, choices=Cadre.choices, blank=True, default=Cadre.NONE)
    title = models.CharField(_("professional title"), max_length=30, blank=True)
    employed_since = models.DateField(_("teaching at the employer continuously since"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="teacher"
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = TeacherQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["employer", "name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name

    @property
    def is_backbone(self) -> bool:
        return bool(self.backbone_tier)

    def continuous_years_on(self, day: date) -> int:
        """Whole years at the current employer on the day (0 before the employment began)."""
        return full_years(self.employed_since, day)


def full_years(since: date, day: date) -> int:
    if day < since:
        return 0
    return day.year - since.year - ((day.month, day.day) < (since.month, since.day))


class ByTeacherQuerySet(RestrictedQuerySet):
    """Records about one teacher, seen by whoever sees the teacher and changed by whoever may change it."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(teacher__in=Teacher.objects.within(scope, action))


class Employment(DetailPage, models.Model):
    """One period of a teacher's employment (编制) at a school. A change of employer ends one and starts the next,
    and restarts the continuous years."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="employments"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ByTeacherQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["teacher", "start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            ends_after_start("employment_ends_after_start"),
            NonOverlapping(
                owner="teacher",
                start="start_date",
                end=("end_date",),
                name="employment_one_employer_at_a_time",
                violation_error_message=_("The teacher is already employed elsewhere in this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} @ {self.school}"


class EligibilityExclusion(DetailPage, models.Model):
    """A teacher who meets the years but is not eligible for rotation in a school year, with the reason
    (R-C1: eligibility is the edition's rule of years, minus these)."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="eligibility_exclusions"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    reason = models.CharField(_("reason"), max_length=200)

    objects = ByTeacherQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year", "teacher"]
        verbose_name = _("eligibility exclusion")
        verbose_name_plural = _("eligibility exclusions")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_year"],
                name="eligibility_exclusion_once_a_year",
                violation_error_message=_("The teacher is already marked not eligible for this school year."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="eligibility_exclusion_has_reason",
                violation_error_message=_("Say why the teacher is not eligible."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.school_year}"
