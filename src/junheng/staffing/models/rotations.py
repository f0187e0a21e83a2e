"""Rotations (S2 二(二)1): a dated assignment of a teacher to another school, its workflow and its appraisal by
the receiving school; and the clusters' staffing plans filed with the district (S2 二(二)2)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.constraints import NonOverlapping
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster, School

from ..choices import Duty, Rating, ReturnDuty, RotationKind, RotationStatus
from .teachers import Teacher, schools_in_reach


class RotationQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the teacher, the sending school or the host; changed by the sending school, the
    host, their clusters' offices and their district bureaus."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        schools = School.objects.filter(schools_in_reach(scope, action))
        reach = Q(from_school__in=schools) | Q(host__in=schools)
        if action == Action.VIEW:
            reach |= Q(teacher__in=Teacher.objects.within(scope, action))
        return reach

    def running_on(self, day: date) -> RotationQuerySet:
        return self.filter(start_date__lte=day).filter(
            Q(actual_end__gte=day) | Q(actual_end__isnull=True, planned_end__gte=day)
        )


class Rotation(DetailPage, models.Model):
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="rotations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RotationKind.choices)
    from_school = models.ForeignKey(
        School, verbose_name=_("sending school"), on_delete=models.PROTECT, related_name="rotations_out"
    )
    host = models.ForeignKey(
        School, verbose_name=_("receiving school"), on_delete=models.PROTECT, related_name="rotations_in"
    )
    start_date = models.DateField(_("start date"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending early"), max_length=200, blank=True)
    duties = models.JSONField(_("duties"), default=list, blank=True)  # codes of choices.Duty
    subjects = models.CharField(_("subjects taught"), max_length=100, blank=True)
    team = models.CharField(
        _("team"), max_length=50, blank=True, help_text=_("The same label for a team inflow")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RotationStatus.choices, default=RotationStatus.PROPOSED
    )
    return_duty = models.CharField(
        _("duty taken on return"), max_length=30, choices=ReturnDuty.choices, blank=True
    )
    return_duty_from = models.DateField(_("duty taken on return from"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = RotationQuerySet.as_manager()
    history = HistoricalRecords()

    LIST_CHOICES = {"duties": Duty.choices}  # the names its page and history show for the codes

    class Meta:
        ordering = ["-start_date", "teacher"]
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        constraints = [
            ends_after_start(
                "rotation_planned_end_after_start",
                end="planned_end",
                open_end=False,
                message=_("The planned end is before the start date."),
            ),
            ends_after_start(
                "rotation_actual_end_after_start",
                end="actual_end",
                message=_("The actual end is before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(host=models.F("from_school")),
                name="rotation_to_another_school",
                violation_error_message=_("A rotation goes to another school than the employer."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_end__gte=models.F("planned_end"))
                | ~Q(end_reason=""),
                name="rotation_early_end_has_reason",
                violation_error_message=_("Say why the rotation ended before its planned end."),
            ),
            NonOverlapping(
                owner="teacher",
                start="start_date",
                end=("actual_end", "planned_end"),
                name="rotation_one_at_a_time",
                violation_error_message=_("The teacher is already in another rotation in this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.host}"

    @property
    def end(self) -> date:
        return self.actual_end or self.planned_end


class ByRotationQuerySet(RestrictedQuerySet):
    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(rotation__in=Rotation.objects.within(scope, action))


class RotationAppraisal(DetailPage, models.Model):
    """The receiving school's appraisal of an inflow teacher for one school year of the rotation (R-C6)."""

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("rotation"), on_delete=models.CASCADE, related_name="appraisals"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    appraised_on = models.DateField(_("appraised on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ByRotationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rotation", "school_year"]
        verbose_name = _("rotation appraisal")
        verbose_name_plural = _("rotation appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "school_year"],
                name="rotation_appraisal_once_a_year",
                violation_error_message=_("The rotation is already appraised for this school year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation} {self.school_year}"


class StaffingPlanQuerySet(RestrictedQuerySet):
    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class StaffingPlan(DetailPage, models.Model):
    """A cluster's plan for a school year — recruitment, flow, titles and performance-pay increments — filed
    (备案) with the district bureau (R-C8)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="staffing_plans"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    covers_recruitment = models.BooleanField(_("covers recruitment"), default=False)
    covers_flow = models.BooleanField(_("covers teacher flow"), default=False)
    covers_titles = models.BooleanField(_("covers professional titles"), default=False)
    covers_performance_pay = models.BooleanField(_("covers performance-pay increments"), default=False)
    filed_on = models.DateField(_("filed with the district on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = StaffingPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-school_year"]
        verbose_name = _("staffing plan")
        verbose_name_plural = _("staffing plans")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "school_year"],
                name="staffing_plan_once_a_year",
                violation_error_message=_("The cluster already has a staffing plan for this school year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.school_year}"

    @property
    def is_complete(self) -> bool:
        return all(
            (self.covers_recruitment, self.covers_flow, self.covers_titles, self.covers_performance_pay)
        )
