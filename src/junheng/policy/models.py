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


# The rotation planner's records (issue 15): the weaker schools' needs and the plans made from them ---------------


class PlannedStage(models.TextChoices):
    """The stages a rotation plan fills: those of the compulsory education S2 二(二) plans for."""

    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior secondary")


class RotationNeedQuerySet(RestrictedQuerySet):
    """Seen and set by whoever reaches the school: the school itself, its clusters' offices, its district."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        from junheng.staffing.models.teachers import schools_in_reach

        return Q(school__in=School.objects.filter(schools_in_reach(scope, action)))


class RotationNeed(DetailPage, models.Model):
    """How many rotating teachers a weaker school wants in a school year, by subject and stage: what the rotation
    planner fills. Teachers already rotating into the school that year count towards it."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="rotation_needs"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    subject = models.CharField(_("subject"), max_length=30)
    stage = models.CharField(_("stage"), max_length=10, choices=PlannedStage.choices)
    need = models.PositiveSmallIntegerField(_("teachers wanted"))
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = RotationNeedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-school_year", "stage", "subject"]
        verbose_name = _("rotation need")
        verbose_name_plural = _("rotation needs")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "subject", "stage"],
                name="rotation_need_once",
                violation_error_message=_(
                    "The school already states its need in this subject and stage for this school year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year} {self.subject}（{self.get_stage_display()}）{self.need}"


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Planned")
    FAILED = "failed", _("Failed")


class PlanMethod(models.TextChoices):
    OPTIMAL = "optimal", _("Proven optimal (mixed-integer programme)")
    GREEDY = "greedy", _("Greedy baseline (nearest school first)")


class RotationPlanQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the cluster; made and applied by its district bureau and its cluster office."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class RotationPlan(DetailPage, models.Model):
    """One run of the rotation planner for a cluster and school year, kept with its inputs — the eligible
    teachers, the schools, the needs, the edition's numbers and the changes by hand — so that its result can be
    reproduced (`junheng plan rotations` on the inputs' files) and compared with the plans made beside it."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="rotation_plans"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("changed from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    method = models.CharField(
        _("method"), max_length=10, choices=PlanMethod.choices, default=PlanMethod.OPTIMAL
    )
    max_share = models.DecimalField(
        _("most a school may send (share of its eligible teachers)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Empty: the quota share, so that a school sends exactly its quota."),
    )
    teams = models.BooleanField(_("team inflow (0 or at least the team minimum per school)"), default=True)
    pinned = models.JSONField(_("pinned pairs"), default=list, blank=True)  # [[staff number, school code]]
    forbidden = models.JSONField(_("forbidden pairs"), default=list, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("turned into proposed rotations at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("turned into proposed rotations by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RotationPlanQuerySet.as_manager()
    # Each change of status is audited; progress is written past the history (`report_plan_progress`).
    history = HistoricalRecords(excluded_fields=["progress", "step"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")

    def __str__(self) -> str:
        return f"{self.cluster} {self.school_year} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (PlanStatus.QUEUED, PlanStatus.RUNNING)


# The accreditation of model clusters, in a package of its own.
from .accreditation.models import Accreditation, AccreditationStep  # noqa: E402,F401
