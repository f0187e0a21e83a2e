"""Funds (R-B12), typical cases (R-B14) and transparency reports: what the programme spends and publishes."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage
from junheng.core.scope import ReadByRolesQuerySet, RestrictedQuerySet, Scope
from junheng.organisations.models import District

from .pairings import Pairing, ProgrammeRound
from .work import PairingWorkQuerySet


class FundAllocationQuerySet(RestrictedQuerySet):
    creators = ()

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(pk__in=())  # the commission allocates
        return Q(district__in=scope.districts | scope.home_districts)


class FundAllocation(DetailPage, models.Model):
    """A municipal special transfer payment to a district for the programme (S1 四.2)."""

    round = models.ForeignKey(ProgrammeRound, verbose_name=_("round"), on_delete=models.PROTECT)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    document_number = models.CharField(_("document number"), max_length=50, blank=True)

    objects = FundAllocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "year", "district__code"]
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "district", "year"],
                name="fund_allocation_one_per_year",
                violation_error_message=_(
                    "The district already has an allocation of this round for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fund_allocation_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"


class SpendingCategory(models.TextChoices):
    TRAINING = "training", _("Training")
    RESEARCH = "research", _("Teaching research")
    MATERIALS = "materials", _("Materials and equipment")
    EXPERTS = "experts", _("Experts and professional teams")
    TRAVEL = "travel", _("Travel and stationing")
    OTHER = "other", _("Other")


class Spending(DetailPage, models.Model):
    """Money spent on a pairing's work, by purpose (S1 四.2: budgets by real need, spending tracked)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="spending"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    category = models.CharField(_("category"), max_length=20, choices=SpendingCategory.choices)
    purpose = models.CharField(_("purpose"), max_length=200)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pairing", "-date"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="spending_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.purpose}"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PUBLICATION_TRANSITIONS: dict[str, set[str]] = {
    PublicationStatus.DRAFT: {PublicationStatus.PUBLISHED},
    PublicationStatus.PUBLISHED: {PublicationStatus.WITHDRAWN},
    PublicationStatus.WITHDRAWN: {PublicationStatus.DRAFT},
}


class CaseStudy(DetailPage, models.Model):
    """A typical case (“家门口的好学校”) written up by a pairing and published for everyone (S1 二.3)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title


class TransparencyReport(DetailPage, models.Model):
    """A year's allocations and spending, made public by the commission when published (S1 四.2)."""

    round = models.ForeignKey(ProgrammeRound, verbose_name=_("round"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ReadByRolesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("transparency report")
        verbose_name_plural = _("transparency reports")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "year"],
                name="transparency_report_one_per_year",
                violation_error_message=_("The round already has a report for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.year}"
