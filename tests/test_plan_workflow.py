"""The three-year plan's workflow (R-B6): explicit moves only, reviews by the assigned experts only, and an
expert sees only the plans assigned to it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from junheng.organisations.choices import Role
from junheng.programmes.models import Pairing, ThreeYearPlan
from junheng.programmes.services import plan_assign_expert, plan_review_submit, plan_set_status

pytestmark = pytest.mark.django_db
DAY = date(2021, 3, 1)


@pytest.fixture
def plan() -> ThreeYearPlan:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)  # 宝山
    return ThreeYearPlan.objects.create(pairing=pairing, title="月浦中心校三年规划")


@pytest.fixture
def bureau(make_user: Any, plan: ThreeYearPlan) -> Any:
    return make_user(Role.DISTRICT_BUREAU, plan.pairing.supported_school.district, can_edit=True)


def test_the_workflow_refuses_skipped_steps_and_unreviewed_approval(
    plan: ThreeYearPlan, bureau: Any, make_user: Any
) -> None:
    with pytest.raises(ValidationError, match="不能变为"):
        plan_set_status(actor=bureau, plan=plan, status="approved", on=DAY)
    plan_set_status(actor=bureau, plan=plan, status="submitted", on=DAY)
    assert plan.submitted_on == DAY
    with pytest.raises(ValidationError, match="至少指定一位专家"):
        plan_set_status(actor=bureau, plan=plan, status="under_review", on=DAY)
    first, second = make_user(Role.EXPERT), make_user(Role.EXPERT)
    with pytest.raises(ValidationError, match="不是专家"):
        plan_assign_expert(actor=bureau, plan=plan, expert=make_user())
    reviews = [plan_assign_expert(actor=bureau, plan=plan, expert=e) for e in (first, second)]
    plan_set_status(actor=bureau, plan=plan, status="under_review", on=DAY)
    with pytest.raises(PermissionDenied):
        plan_review_submit(
            actor=make_user(Role.EXPERT), review=reviews[0], verdict="approve", comments="", on=DAY
        )
    plan_review_submit(actor=first, review=reviews[0], verdict="approve", comments="可行", on=DAY)
    with pytest.raises(ValidationError, match="每位指定专家"):
        plan_set_status(actor=bureau, plan=plan, status="approved", on=DAY)
    plan_review_submit(
        actor=second, review=reviews[1], verdict="approve", comments="同意", on=date(2021, 3, 5)
    )
    plan_set_status(actor=bureau, plan=plan, status="approved", on=date(2021, 3, 6))
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on) == ("approved", date(2021, 3, 6))
    assert [r.history_type for r in plan.history.order_by("history_date")] == ["+", "~", "~", "~"]


def test_a_returning_review_sends_the_plan_back(plan: ThreeYearPlan, bureau: Any, make_user: Any) -> None:
    expert = make_user(Role.EXPERT)
    plan_set_status(actor=bureau, plan=plan, status="submitted", on=DAY)
    review = plan_assign_expert(actor=bureau, plan=plan, expert=expert)
    plan_set_status(actor=bureau, plan=plan, status="under_review", on=DAY)
    plan_review_submit(actor=expert, review=review, verdict="return", comments="目标不够具体", on=DAY)
    plan.refresh_from_db()
    assert plan.status == "returned"


def test_an_expert_sees_only_assigned_plans_and_reviews_on_the_page(
    plan: ThreeYearPlan, bureau: Any, make_user: Any
) -> None:
    expert = make_user(Role.EXPERT)
    other_plan = ThreeYearPlan.objects.create(
        pairing=Pairing.objects.get(kind="entrusted", sequence=2), title="另一规划"
    )
    client = Client()
    client.force_login(expert)
    assert client.get(f"/programmes/plans/{plan.pk}/").status_code == 404
    plan_set_status(actor=bureau, plan=plan, status="submitted", on=DAY)
    plan_assign_expert(actor=bureau, plan=plan, expert=expert)
    plan_set_status(actor=bureau, plan=plan, status="under_review", on=DAY)
    page = client.get(f"/programmes/plans/{plan.pk}/").content.decode()
    assert 'id="review-form"' in page
    assert client.get(f"/programmes/plans/{other_plan.pk}/").status_code == 404
    assert (
        client.get(f"/programmes/pairings/{plan.pairing_id}/").status_code == 404
    )  # the plan, not the pairing
    client.post(f"/programmes/plans/{plan.pk}/workflow/review/", {"verdict": "approve", "comments": "同意"})
    assert plan.reviews.get().verdict == "approve"
    # The generic edit form cannot change the status: only the workflow does.
    editor = Client()
    editor.force_login(bureau)
    editor.post(
        f"/programmes/plans/{plan.pk}/edit/",
        {"pairing": plan.pairing_id, "title": "改名", "status": "approved"},
    )
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("改名", "under_review")
    editor.post(f"/programmes/plans/{plan.pk}/workflow/status/", {"status": "approved"})
    plan.refresh_from_db()
    assert plan.status == "approved"
