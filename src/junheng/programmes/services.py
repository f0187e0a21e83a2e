"""Workflows of the plan's records: the three-year plan (R-B6: draft → submitted → under expert review → approved
or returned, reviews by the assigned experts only) and publication of cases and transparency reports (R-B14, R-B12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import can, scope_for
from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership

from .models import (
    PLAN_TRANSITIONS,
    PUBLICATION_TRANSITIONS,
    Pairing,
    PlanReview,
    PlanStatus,
    PublicationStatus,
    ReviewVerdict,
    ThreeYearPlan,
)


@transaction.atomic
def pairing_save(*, actor: Any, instance: Pairing) -> Pairing:
    """Saves a pairing; one a district bureau adds is that district's own (R-B17), the roster's are the
    commission's."""
    if (
        instance.pk is None
        and instance.supported_school_id
        and not scope_for(actor, Action.CHANGE).everything
    ):
        instance.created_by_district_id = instance.supported_school.district_id
    return object_save(actor=actor, instance=instance)


def _require_change(actor: Any, plan: ThreeYearPlan) -> None:
    if not can(actor, Action.CHANGE, plan):
        raise PermissionDenied(_("You may not change this plan."))


@transaction.atomic
def plan_set_status(*, actor: Any, plan: ThreeYearPlan, status: str, on: date) -> ThreeYearPlan:
    """Moves the plan along its workflow; any other move is refused. Approval needs every assigned expert's
    approving review."""
    _require_change(actor, plan)
    if status not in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        raise ValidationError(
            _("A plan that is “%(now)s” cannot become “%(next)s”.")
            % {"now": plan.get_status_display(), "next": PlanStatus(status).label}
        )
    reviews = list(plan.reviews.all())
    if status == PlanStatus.UNDER_REVIEW and not reviews:
        raise ValidationError(_("Assign at least one expert before the review starts."))
    if status == PlanStatus.APPROVED and (
        not reviews or any(r.verdict != ReviewVerdict.APPROVE for r in reviews)
    ):
        raise ValidationError(_("Every assigned expert must approve the plan first."))
    plan.status = status
    if status == PlanStatus.SUBMITTED:
        plan.submitted_on = on
    if status == PlanStatus.APPROVED:
        plan.approved_on = on
    return object_save(actor=actor, instance=plan, reason=str(PlanStatus(status).label))


@transaction.atomic
def plan_assign_expert(*, actor: Any, plan: ThreeYearPlan, expert: Any) -> PlanReview:
    _require_change(actor, plan)
    if not Membership.objects.filter(user=expert, role=Role.EXPERT).exists():
        raise ValidationError(_("%(name)s is not an expert.") % {"name": expert})
    review, _created = PlanReview.objects.get_or_create(plan=plan, expert=expert)
    return review


@transaction.atomic
def plan_review_submit(
    *, actor: Any, review: PlanReview, verdict: str, comments: str, on: date
) -> PlanReview:
    """The assigned expert's verdict; a returning verdict sends the plan back to its authors."""
    if review.expert_id != actor.pk:
        raise PermissionDenied(_("Only the assigned expert reviews this plan."))
    if review.plan.status != PlanStatus.UNDER_REVIEW:
        raise ValidationError(_("The plan is not under expert review."))
    review.verdict, review.comments, review.reviewed_on = verdict, comments, on
    object_save(actor=actor, instance=review, check_scope=False)
    if verdict == ReviewVerdict.RETURN:
        plan = review.plan
        plan.status = PlanStatus.RETURNED
        object_save(actor=actor, instance=plan, reason=_("Returned by expert review"), check_scope=False)
    return review


@transaction.atomic
def publication_set_status(*, actor: Any, record: Any, status: str, on: date) -> Any:
    """Publishes, withdraws or reopens a case or a transparency report. Cases are published by the supported
    district's bureau or the commission; reports by the commission."""
    scope = scope_for(actor, Action.CHANGE)
    district = record.pairing.supported_school.district_id if hasattr(record, "pairing") else None
    if not (scope.everything or (district is not None and district in scope.districts)):
        raise PermissionDenied(_("Only the district bureau or the municipal commission publishes this."))
    if status not in PUBLICATION_TRANSITIONS[PublicationStatus(record.status)]:
        raise ValidationError(
            _("A record that is “%(now)s” cannot become “%(next)s”.")
            % {"now": record.get_status_display(), "next": PublicationStatus(status).label}
        )
    record.status = status
    record.published_on = on if status == PublicationStatus.PUBLISHED else record.published_on
    return object_save(
        actor=actor, instance=record, reason=str(PublicationStatus(status).label), check_scope=False
    )
