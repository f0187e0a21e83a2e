"""The work of a pairing: resident staff, interactions and the baseline assessment (R-B3–R-B5)."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.imports import EVIDENCE_SUFFIXES, file_size_within_limit
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import RestrictedQuerySet, Scope

from .pairings import Pairing


class PairingWorkQuerySet(RestrictedQuerySet):
    """Records of a pairing's work: seen by whoever sees the pairing, written by the supported district and
    both parties."""

    def scope_filter(self, scope: Scope, action: str) -> Q:
        pairings = (
            Pairing.objects.within(scope, action)
            if action == Action.VIEW
            else Pairing.objects.filter(Pairing.objects.participant_filter(scope))
        )
        return Q(pairing__in=pairings)

    def creatable(self, scope: Scope) -> bool:
        return Pairing.objects.recorded_by(scope).exists()

    def creation_refusal(self) -> str:
        return gettext(
            "Only the municipal commission, the parties of a pairing and its supported district record %(what)s."
        ) % {"what": self.model._meta.verbose_name_plural}


class ResidentRole(models.TextChoices):
    MANAGER = "manager", _("Management staff")
    SUBJECT_TEACHER = "subject_teacher", _("Subject teacher")


class ResidentAssignment(DetailPage, models.Model):
    """A member of the supporting unit stationed at the supported school (S1 四.2), for a dated period."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="residents"
    )
    person_name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=ResidentRole.choices)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "start_date"]
        verbose_name = _("resident staff assignment")
        verbose_name_plural = _("resident staff assignments")
        constraints = [
            ends_after_start("resident_assignment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}（{self.get_role_display()}）"


class InteractionKind(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    ONLINE = "online", _("Online")


class InteractionActivity(models.TextChoices):
    """What the staff did together; online collaboration names these four (S1 四.3, R-B11)."""

    LESSON_PREPARATION = "lesson_preparation", _("Collective lesson preparation")
    TEACHING_RESEARCH = "teaching_research", _("Teaching research")
    CLASS = "class", _("Classes")
    TECHNICAL_TRAINING = "technical_training", _("Technical training")
    OTHER = "other", _("Other")


class Interaction(DetailPage, models.Model):
    """A meeting of the supporting unit's staff with the supported school (S1 四.2, 四.3)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="interactions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    activity = models.CharField(
        _("activity"), max_length=20, choices=InteractionActivity.choices, default=InteractionActivity.OTHER
    )
    participants = models.PositiveSmallIntegerField(_("participants"), default=0)
    subjects = models.CharField(_("subjects"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to="evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_SUFFIXES), file_size_within_limit],
    )

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "-date"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class BaselineAssessment(DetailPage, models.Model):
    """The supported school's starting point, from its green-indicator report (S1 三.1, 二.2)."""

    pairing = models.OneToOneField(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="baseline"
    )
    assessed_on = models.DateField(_("assessed on"))
    key_problems = models.TextField(_("key problems"))
    green_indicator_source = models.CharField(_("green-indicator report"), max_length=200, blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baseline assessment")
        verbose_name_plural = _("baseline assessments")

    def __str__(self) -> str:
        return f"{self.pairing} · {self.assessed_on}"
