"""Each rule of the hand-in-hand plan, built from dated records and checked at several dates: it passes, fails,
turns at_risk and is not yet due where the clause says so."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from junheng.organisations.models import District
from junheng.policy.engine import evaluate
from junheng.policy.models import PolicyEdition
from junheng.programmes.models import (
    BaselineAssessment,
    Evaluation,
    Interaction,
    Pairing,
    ResidentAssignment,
    ReviewEvent,
    ThreeYearPlan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entrusted() -> Pairing:
    return Pairing.objects.get(kind="entrusted", sequence=1)  # 月浦中心校 (宝山) ← 杨浦小学


@pytest.fixture
def mutual() -> Pairing:
    return Pairing.objects.get(kind="mutual_growth", sequence=1)  # 彭镇中学 (浦东新区) ← 文来实验学校


def status(rule: str, subject: Any, as_of: str) -> str:
    findings = evaluate(PolicyEdition.objects.get(code="S1"), date.fromisoformat(as_of))
    return next(
        f.status
        for f in findings
        if f.rule == rule
        and f.subject_id == subject.pk
        and f.subject_type == ("district" if isinstance(subject, District) else "pairing")
    )


def test_round_starts_on_the_first_of_2021(entrusted: Pairing) -> None:
    assert (entrusted.round.start_date, entrusted.round.end_date) == (date(2021, 1, 1), date(2023, 12, 31))


def test_r_b3_resident_team(entrusted: Pairing) -> None:
    assert status("R-B3", entrusted, "2020-12-01") == "not_due"
    assert status("R-B3", entrusted, "2021-02-01") == "fail"  # nothing recorded counts as zero
    ResidentAssignment.objects.create(
        pairing=entrusted,
        person_name="甲",
        role="manager",
        start_date=date(2021, 3, 1),
        end_date=date(2022, 6, 30),
    )
    for name in ("乙", "丙"):
        ResidentAssignment.objects.create(
            pairing=entrusted, person_name=name, role="subject_teacher", start_date=date(2021, 3, 1)
        )
    assert status("R-B3", entrusted, "2021-02-28") == "fail"
    assert status("R-B3", entrusted, "2021-04-01") == "at_risk"  # the only manager leaves on 2022-06-30
    assert status("R-B3", entrusted, "2022-07-01") == "fail"
    ResidentAssignment.objects.create(
        pairing=entrusted, person_name="丁", role="manager", start_date=date(2022, 7, 1)
    )
    assert status("R-B3", entrusted, "2021-04-01") == "pass"
    assert status("R-B3", entrusted, "2022-07-01") == "pass"


def test_r_b3_needs_a_manager_among_three(entrusted: Pairing) -> None:
    for name in ("甲", "乙", "丙"):
        ResidentAssignment.objects.create(
            pairing=entrusted, person_name=name, role="subject_teacher", start_date=date(2021, 1, 1)
        )
    assert status("R-B3", entrusted, "2021-06-01") == "fail"


def test_r_b4_on_site_interactions_average_one_a_month(mutual: Pairing) -> None:
    assert status("R-B4", mutual, "2021-01-10") == "not_due"
    for month in range(1, 7):
        Interaction.objects.create(pairing=mutual, date=date(2021, month, 15), kind="on_site")
    Interaction.objects.create(pairing=mutual, date=date(2021, 7, 2), kind="online")  # online does not count
    assert status("R-B4", mutual, "2021-01-20") == "pass"
    assert status("R-B4", mutual, "2021-07-05") == "pass"  # too early in July to judge its pace
    assert status("R-B4", mutual, "2021-07-20") == "at_risk"  # none yet in July: the average would drop
    assert status("R-B4", mutual, "2021-09-10") == "fail"  # 6 in 8 full months
    Interaction.objects.create(pairing=mutual, date=date(2021, 7, 21), kind="on_site")
    Interaction.objects.create(pairing=mutual, date=date(2021, 8, 21), kind="on_site")
    assert status("R-B4", mutual, "2021-09-10") == "at_risk"  # 8 in 8 months, none yet in September
    Interaction.objects.create(pairing=mutual, date=date(2021, 9, 3), kind="on_site")
    assert status("R-B4", mutual, "2021-09-10") == "pass"


def test_r_b5_baseline_before_the_plan(entrusted: Pairing) -> None:
    assert status("R-B5", entrusted, "2020-09-01") == "not_due"
    assert status("R-B5", entrusted, "2020-11-15") == "at_risk"
    assert status("R-B5", entrusted, "2021-06-01") == "fail"
    plan = ThreeYearPlan.objects.create(
        pairing=entrusted, title="三年规划", status="submitted", submitted_on=date(2021, 3, 1)
    )
    baseline = BaselineAssessment.objects.create(
        pairing=entrusted, assessed_on=date(2021, 4, 1), key_problems="课程领导力不足"
    )
    assert status("R-B5", entrusted, "2021-06-01") == "fail"  # assessed after the plan
    baseline.assessed_on = date(2021, 2, 1)
    baseline.save()
    assert status("R-B5", entrusted, "2021-06-01") == "pass"
    assert plan.submitted_on > baseline.assessed_on


def test_r_b6_plan_reviewed_by_experts_before_it_runs(entrusted: Pairing) -> None:
    plan = ThreeYearPlan.objects.create(
        pairing=entrusted,
        title="三年规划",
        status="under_review",
        submitted_on=date(2021, 1, 10),
        runs_from=date(2021, 4, 1),
    )
    assert status("R-B6", entrusted, "2021-01-15") == "not_due"
    assert status("R-B6", entrusted, "2021-03-01") == "at_risk"
    assert status("R-B6", entrusted, "2021-04-02") == "fail"
    plan.status, plan.approved_on = "approved", date(2021, 3, 20)
    plan.save()
    assert status("R-B6", entrusted, "2021-05-01") == "pass"
    assert status("R-B6", entrusted, "2021-03-10") == "at_risk"  # not yet approved on that date


def test_r_b6_fails_when_no_plan_is_recorded_once_the_round_runs(entrusted: Pairing) -> None:
    assert status("R-B6", entrusted, "2021-02-01") == "fail"


def test_r_b7_half_year_summaries_and_annual_site_meetings(entrusted: Pairing) -> None:
    baoshan = District.objects.get(code="310113")
    minhang = District.objects.get(code="310112")
    programme_round = entrusted.round
    assert status("R-B7.a", baoshan, "2021-03-01") == "not_due"
    assert status("R-B7.a", baoshan, "2021-05-01") == "at_risk"  # past half of the half-year, none yet
    ReviewEvent.objects.create(
        round=programme_round,
        district=None,
        kind="half_year_summary",
        date=date(2021, 6, 20),
        title="市级总结",
    )
    ReviewEvent.objects.create(
        round=programme_round,
        district=baoshan,
        kind="half_year_summary",
        date=date(2021, 12, 10),
        title="宝山区总结",
    )
    ReviewEvent.objects.create(
        round=programme_round,
        district=minhang,
        kind="half_year_summary",
        date=date(2022, 3, 10),
        title="闵行区总结",
    )
    assert status("R-B7.a", baoshan, "2021-05-01") == "at_risk"
    assert status("R-B7.a", baoshan, "2022-01-10") == "pass"
    assert status("R-B7.a", baoshan, "2022-07-05") == "fail"  # nothing in 2022's first half for 宝山
    assert status("R-B7.a", minhang, "2022-01-10") == "fail"  # 宝山's own summary does not count for 闵行
    assert status("R-B7.b", baoshan, "2022-01-10") == "fail"  # no site meeting in 2021
    ReviewEvent.objects.create(
        round=programme_round, district=None, kind="site_meeting", date=date(2021, 11, 5), title="现场会"
    )
    assert status("R-B7.b", baoshan, "2022-01-10") == "pass"
    assert status("R-B7.b", baoshan, "2022-08-01") == "at_risk"


def test_r_b8_mid_term_by_month_18_and_performance_evaluation_by_month_36(entrusted: Pairing) -> None:
    assert status("R-B8.a", entrusted, "2021-06-01") == "not_due"
    assert status("R-B8.a", entrusted, "2022-05-15") == "at_risk"  # due 2022-06-30
    assert status("R-B8.a", entrusted, "2022-07-01") == "fail"
    Evaluation.objects.create(pairing=entrusted, kind="mid_term", completed_on=date(2022, 6, 1))
    assert status("R-B8.a", entrusted, "2022-07-01") == "pass"
    assert status("R-B8.a", entrusted, "2022-05-15") == "at_risk"  # not yet done on that date
    assert status("R-B8.b", entrusted, "2023-11-15") == "at_risk"  # due 2023-12-31
    assert status("R-B8.b", entrusted, "2024-01-01") == "fail"
