"""The urban–rural hand-in-hand plan (S1): programme rounds and the pairings of supported schools with supporting units."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.imports import EVIDENCE_SUFFIXES, file_size_within_limit
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import ReadByRolesQuerySet, RestrictedQuerySet, Scope
from junheng.organisations.models import District, Institution, School

from .choices import PairingKind


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
    def scope_filter(self, scope: Scope, action: str) -> Q:
        # The supported district bears the main responsibility (S1 三.1) and edits; the supporting side reads.
        reach = Q(supported_school__district__in=scope.districts)
        if action == "view":
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
            models.UniqueConstraint(fields=["round", "kind", "sequence"], name="pairing_unique_sequence"),
            models.CheckConstraint(
                condition=Q(supporting_school__isnull=False, supporting_institution__isnull=True)
                | Q(supporting_school__isnull=True, supporting_institution__isnull=False),
                name="pairing_has_one_supporting_unit",
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


# The work of a pairing ---------------------------------------------------------------------------------------------


class PairingWorkQuerySet(RestrictedQuerySet):
    """Records of a pairing's work: seen by whoever sees the pairing, written by the supported district and
    both parties."""

    def scope_filter(self, scope: Scope, action: str) -> Q:
        pairings = (
            Pairing.objects.within(scope, action)
            if action == "view"
            else Pairing.objects.filter(Pairing.objects.participant_filter(scope))
        )
        return Q(pairing__in=pairings)


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


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under expert review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# The plan's workflow (R-B6): which status may follow which.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
    PlanStatus.SUBMITTED: {PlanStatus.UNDER_REVIEW, PlanStatus.RETURNED},
    PlanStatus.UNDER_REVIEW: {PlanStatus.APPROVED, PlanStatus.RETURNED},
    PlanStatus.RETURNED: {PlanStatus.SUBMITTED},
    PlanStatus.APPROVED: set(),
}


class ThreeYearPlanQuerySet(PairingWorkQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        reach = super().scope_filter(scope, action)
        if action == "view" and scope.user_id:
            # An expert sees the plans assigned to it, and nothing else of the pairing.
            reach |= Q(pk__in=PlanReview.objects.filter(expert=scope.user_id).values("plan"))
        return reach


class ThreeYearPlan(DetailPage, models.Model):
    """The supported school's three-year plan, written with the supporting unit and reviewed by experts (R-B6)."""

    pairing = models.OneToOneField(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="plan"
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    runs_from = models.DateField(_("runs from"), null=True, blank=True)

    objects = ThreeYearPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("three-year plan")
        verbose_name_plural = _("three-year plans")

    def __str__(self) -> str:
        return self.title


class ReviewVerdict(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")


class PlanReviewQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        mine = Q(expert=scope.user_id) if scope.user_id else Q(pk__in=())
        if action == "view":
            return mine | Q(plan__in=ThreeYearPlan.objects.within(scope, action))
        return mine  # only the assigned expert writes its review


class PlanReview(models.Model):
    """An assigned expert's review of a plan; only assigned experts review."""

    plan = models.ForeignKey(
        ThreeYearPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="plan_reviews",
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=ReviewVerdict.choices, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    objects = PlanReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [models.UniqueConstraint(fields=["plan", "expert"], name="plan_review_one_per_expert")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.expert}"


class EvaluationKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term evaluation")
    PERFORMANCE = "performance", _("Performance evaluation")


class Evaluation(DetailPage, models.Model):
    """A completed mid-term or performance evaluation of a pairing (R-B8)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    completed_on = models.DateField(_("completed on"))
    conclusion = models.TextField(_("conclusion"), blank=True)

    objects = PairingWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["pairing", "kind"], name="evaluation_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.completed_on}"


class ReviewEventKind(models.TextChoices):
    HALF_YEAR_SUMMARY = "half_year_summary", _("Half-year summary")
    SITE_MEETING = "site_meeting", _("Site meeting")


class ReviewEventQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action == "view":
            own = Q(district__in=scope.districts | scope.home_districts)
            return (
                own if scope.reaches_nothing else own | Q(district__isnull=True)
            )  # city events: every organisation
        return Q(district__in=scope.districts)  # city-level events are the commission's


class ReviewEvent(DetailPage, models.Model):
    """A summary activity or site meeting of the programme, held by a district or the city (S1 二.3)."""

    round = models.ForeignKey(
        ProgrammeRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("empty for a city-level event"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewEventKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ReviewEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return self.title


# Funds (R-B12) -----------------------------------------------------------------------------------------------------


class FundAllocationQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != "view":
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
                fields=["round", "district", "year"], name="fund_allocation_one_per_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_allocation_not_negative"),
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
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="spending_not_negative")]

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
            models.UniqueConstraint(fields=["round", "year"], name="transparency_report_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.year}"


# Teams, subjects and teachers (R-B9, R-B10, R-B13, R-B15) -------------------------------------------------------


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
            models.UniqueConstraint(fields=["pairing", "subject"], name="subject_docking_one_per_subject")
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
