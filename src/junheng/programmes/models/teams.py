"""Teams, subjects and teachers: experts, subject docking, supporting teachers' service and teacher development
(R-B9, R-B10, R-B13, R-B15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.models import DetailPage, ends_after_start

from .pairings import Pairing
from .work import PairingWorkQuerySet


class TeamRole(models.TextChoices):
    EXPERT = "expert", _("Expert")
    PROFESSIONAL_TEAM = "professional_team", _("Professional team")


class ExpertEngagement(DetailPage, models.Model):
    """An expert or professional team brought into a pairing, and what they did (S1 四.3)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    expertise = models.CharField(_("expertise"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    work = models.TextField(_("work done"), blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "start_date"]
        verbose_name = _("expert engagement")
        verbose_name_plural = _("expert engagements")
        constraints = [ends_after_start("expert_engagement_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class SubjectDocking(DetailPage, models.Model):
    """A subject of the supported school paired with the supporting side, group with group (S1 四.3)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="dockings"
    )
    subject = models.CharField(_("subject"), max_length=30)
    supported_group = models.CharField(
        _("supported school's group"), max_length=100, help_text=_("备课组或教研组")
    )
    supporting_contact = models.CharField(_("supporting side's contact"), max_length=100)
    started_on = models.DateField(_("started on"))

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "subject"]
        verbose_name = _("subject docking")
        verbose_name_plural = _("subject dockings")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "subject"],
                name="subject_docking_one_per_subject",
                violation_error_message=_("The pairing already has a docking team for this subject."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pairing} · {self.subject}"


class ServiceRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


class ServiceRecord(DetailPage, models.Model):
    """A supporting teacher's service at the supported school, for their district's staffing, titles, awards and
    appraisal (S1 三.2)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="services"
    )
    teacher_name = models.CharField(_("teacher"), max_length=50)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("hours"), default=0)
    rating = models.CharField(
        _("rating by the supported school"), max_length=20, choices=ServiceRating.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "teacher_name", "start_date"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        constraints = [ends_after_start("service_record_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.teacher_name} {self.start_date}"


class DevelopmentKind(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring (师徒带教)")
    BACKBONE_EXCHANGE = "backbone_exchange", _("Backbone-teacher exchange")
    DEVELOPMENT_PLAN = "development_plan", _("Teacher development plan")
    LAYERED_TRAINING = "layered_training", _("Layered training")


class DevelopmentRecord(DetailPage, models.Model):
    """Development of a supported school's teacher (S1 二.1)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="developments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DevelopmentKind.choices)
    teacher_name = models.CharField(_("teacher"), max_length=50)
    mentor_name = models.CharField(_("mentor"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "start_date"]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        constraints = [ends_after_start("development_record_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.teacher_name}"
