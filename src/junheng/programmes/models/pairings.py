"""Programme rounds and the pairings of supported schools with supporting units (S1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import ReadByRolesQuerySet, RestrictedQuerySet, Scope
from junheng.organisations.models import District, Institution, School

from ..choices import PairingKind


class ProgrammeRound(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = ReadByRolesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme round")
        verbose_name_plural = _("programme rounds")
        constraints = [
            ends_after_start("round_ends_after_start", open_end=False),
        ]

    def __str__(self) -> str:
        return self.name


class PairingQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        # The supported district bears the main responsibility (S1 三.1) and edits; the supporting side reads.
        reach = Q(supported_school__district__in=scope.districts)
        if action == Action.VIEW:
            reach |= (
                Q(supporting_school__district__in=scope.districts)
                | Q(supporting_institution__district__in=scope.districts)
                | Q(supported_school__in=scope.schools)
                | Q(supporting_school__in=scope.schools)
                | Q(supporting_institution__in=scope.institutions)
            )
        return reach

    def participant_filter(self, scope: Scope) -> Q:
        """Pairings whose work the scope records: the supported district and both parties."""
        return (
            Q(supported_school__district__in=scope.districts)
            | Q(supported_school__in=scope.schools)
            | Q(supporting_school__in=scope.schools)
            | Q(supporting_institution__in=scope.institutions)
        )

    def recorded_by(self, scope: Scope) -> PairingQuerySet:
        """The pairings whose work records the scope may write."""
        return self if scope.everything else self.filter(self.participant_filter(scope))

    def with_parties(self) -> PairingQuerySet:
        return self.select_related(
            "round",
            "supported_school__district",
            "supporting_school__district",
            "supporting_institution__district",
        )


class Pairing(DetailPage, models.Model):
    """A supported school and its supporting unit (a school or an institution) in one programme round."""

    round = models.ForeignKey(
        ProgrammeRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="pairings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PairingKind.choices)
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    supported_school = models.ForeignKey(
        School,
        verbose_name=_("supported school"),
        on_delete=models.PROTECT,
        related_name="pairings_supported",
    )
    supporting_school = models.ForeignKey(
        School,
        verbose_name=_("supporting school"),
        on_delete=models.PROTECT,
        related_name="pairings_supporting",
        null=True,
        blank=True,
    )
    supporting_institution = models.ForeignKey(
        Institution,
        verbose_name=_("supporting institution"),
        on_delete=models.PROTECT,
        related_name="pairings_supporting",
        null=True,
        blank=True,
    )
    project_title = models.CharField(_("project title"), max_length=200, blank=True)
    trust_committee = models.CharField(
        _("trust committee"), max_length=200, blank=True, help_text=_("entrusted management: 托管委员会")
    )
    principal_name = models.CharField(_("principal in charge"), max_length=50, blank=True)
    project_target = models.TextField(_("project target"), blank=True, help_text=_("mutual growth: 项目目标"))
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    created_by_district = models.ForeignKey(
        District,
        verbose_name=_("district-level pairing of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "kind", "sequence"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "sequence"],
                name="pairing_unique_sequence",
                violation_error_message=_(
                    "The round already has a pairing of this kind with this sequence number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(supporting_school__isnull=False, supporting_institution__isnull=True)
                | Q(supporting_school__isnull=True, supporting_institution__isnull=False),
                name="pairing_has_one_supporting_unit",
                violation_error_message=_(
                    "A pairing has exactly one supporting unit: a school or an institution."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supported_school} ← {self.supporting_unit}"

    @property
    def is_demo(self) -> bool:
        """A pairing of demo schools is demo data (演示数据)."""
        return self.supported_school.is_demo

    @property
    def supporting_unit(self) -> School | Institution | None:
        return self.supporting_school or self.supporting_institution

    @property
    def supported_district(self) -> District | None:
        return self.supported_school.district

    @property
    def supporting_district(self) -> District | None:
        unit = self.supporting_unit
        return unit.district if unit else None

    def clean(self) -> None:
        if bool(self.supporting_school_id) == bool(self.supporting_institution_id):
            raise ValidationError(_("A pairing has exactly one supporting unit: a school or an institution."))
        if self.kind == PairingKind.MUTUAL_GROWTH and not self.project_title.strip():
            raise ValidationError({"project_title": _("A mutual-growth project needs a project title.")})
        if self.kind == PairingKind.ENTRUSTED and self.project_title:
            raise ValidationError({"project_title": _("Entrusted management has no project title.")})
