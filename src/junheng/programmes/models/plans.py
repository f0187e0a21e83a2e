"""Three-year plans with their expert review (R-B6), and mid-term and performance evaluations (R-B8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope

from .pairings import Pairing
from .work import PairingWorkQuerySet


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
        if action == Action.VIEW and scope.user_id:
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
        if action == Action.VIEW:
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
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "expert"],
                name="plan_review_one_per_expert",
                violation_error_message=_("This expert has already reviewed the plan."),
            )
        ]

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
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "kind"],
                name="evaluation_one_per_kind",
                violation_error_message=_("The pairing already has an evaluation of this kind."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.completed_on}"
