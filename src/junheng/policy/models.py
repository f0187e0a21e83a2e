"""Policy editions and their thresholds (data, edited by the municipal commission), and the findings of each run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import ReadByRolesQuerySet, RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster, District, School
from junheng.programmes.models import Pairing


class PolicyEdition(DetailPage, models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=50)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = ReadByRolesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("policy edition")
        verbose_name_plural = _("policy editions")
        constraints = [
            ends_after_start(
                "edition_ends_after_start",
                "period_start",
                "period_end",
                open_end=False,
                message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.document_number}"


class Comparator(models.TextChoices):
    GTE = "gte", _("at least")
    LTE = "lte", _("at most")
    LT = "lt", _("below")


class Threshold(DetailPage, models.Model):
    """One number a rule compares with, and the clause it comes from."""

    edition = models.ForeignKey(
        PolicyEdition, verbose_name=_("policy edition"), on_delete=models.CASCADE, related_name="thresholds"
    )
    key = models.CharField(_("key"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=4, null=True, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=5, choices=Comparator.choices, default=Comparator.GTE
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    source = models.CharField(_("source clause"), max_length=30)
    clause = models.TextField(_("clause text"))
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Where a number does not come from the clause (a parameter of the platform), say so here."
        ),
    )

    objects = ReadByRolesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "key"]
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key"],
                name="threshold_unique_key",
                violation_error_message=_("The edition already has this threshold."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition.code} {self.key}"


class FindingStatus(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    AT_RISK = "at_risk", _("At risk")
    NOT_DUE = "not_due", _("Not due")
    NO_DATA = "no_data", _("No data")


class SubjectType(models.TextChoices):
    """What a finding is about; whoever may see the subject sees the finding."""

    PAIRING = "pairing", _("pairing")
    SCHOOL = "school", _("school")
    CLUSTER = "cluster", _("cluster")
    DISTRICT = "district", _("district")


def subjects_within(scope: Scope) -> Q:
    """The findings whose subject the scope may see. A district's findings are about its bureau's duties (review
    events, the district as a whole), so they go to those who hold the district as its bureau."""
    return (
        Q(subject_type=SubjectType.PAIRING, subject_id__in=Pairing.objects.within(scope).values("pk"))
        | Q(subject_type=SubjectType.SCHOOL, subject_id__in=School.objects.within(scope).values("pk"))
        | Q(subject_type=SubjectType.CLUSTER, subject_id__in=Cluster.objects.within(scope).values("pk"))
        | Q(subject_type=SubjectType.DISTRICT, subject_id__in=scope.districts)
    )


class ComplianceRunQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(pk__in=())
        # A run is seen by whoever sees one of its findings; a city-wide run is listed for every organisation
        # (with only the findings each may see), a district's run for its bureau.
        reach = Q(district__in=scope.districts) | Q(pk__in=Finding.objects.within(scope).values("run"))
        return reach if scope.reaches_nothing else reach | Q(district__isnull=True)


class ComplianceRun(models.Model):
    """One check of an edition's rules as of a date; its findings are kept so that pages can show a trend."""

    edition = models.ForeignKey(PolicyEdition, verbose_name=_("policy edition"), on_delete=models.PROTECT)
    as_of = models.DateField(_("as of"))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("empty when the whole city was checked"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    objects = ComplianceRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("compliance run")
        verbose_name_plural = _("compliance runs")

    def __str__(self) -> str:
        return f"{self.edition.code} {self.as_of}"


class FindingQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(pk__in=())  # findings are written by runs alone
        return subjects_within(scope)


class Finding(models.Model):
    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(_("rule"), max_length=20)
    subject_type = models.CharField(_("subject type"), max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField()
    subject_name = models.CharField(_("subject"), max_length=200)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, null=True)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices)
    measured = models.JSONField(_("measured"), default=dict)
    threshold = models.JSONField(_("threshold"), default=dict)
    message = models.TextField(_("explanation"))
    clause = models.CharField(_("source clause"), max_length=30, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "subject_type", "subject_id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["run", "rule", "status"], name="finding_run_rule_status")]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_name}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("policy:finding_detail", args=[self.pk])

    @property
    def heading(self) -> str:
        """The rule's name with the numbers this finding was checked against."""
        from .rules.wording import finding_heading

        return finding_heading(self.rule, self.threshold)

    @property
    def measured_text(self) -> list[str]:
        """The measured values as labelled Chinese lines (“驻校人员：2 人”)."""
        from .rules.wording import measured_lines

        return measured_lines(self.rule, self.measured)

    @property
    def threshold_text(self) -> list[str]:
        """The thresholds as Chinese lines (“驻校人员：不少于 3 人”)."""
        from .rules.wording import threshold_lines

        return threshold_lines(self.rule, self.threshold)
