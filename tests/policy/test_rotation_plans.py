"""The rotation planner on the platform's records: the inputs a cluster's plan is made from, the worker's run,
the changes by hand, the what-if, and the one audited action that turns a plan into proposed rotations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from junheng.organisations.choices import Role
from junheng.policy.models import PlanStatus, RotationNeed, RotationPlan
from junheng.policy.planning import (
    PlanRefused,
    apply_plan,
    changed_plan,
    plan_inputs,
    request_plan,
    run_plan,
    school_key,
)
from junheng.staffing.models import Rotation

from .test_rules_s2_flow import Flow

pytestmark = pytest.mark.django_db

YEAR = 2025


class Planned(Flow):
    """The rules' test cluster, placed on the map, with ten eligible junior maths teachers at the quality school
    (two of them backbone) and the weaker junior school wanting three."""

    def __init__(self, name: str = "轮岗规划") -> None:
        super().__init__(name)
        for school, lon in ((self.quality, 121.40), (self.weaker, 121.41), (self.weaker_primary, 121.50)):
            school.longitude, school.latitude = Decimal(str(lon)), Decimal("31.20")
            school.code = f"{name}-{school.pk}"
            school.save()
        self.teachers = self.staff(self.quality, 10, stage="junior", subject="数学")
        for teacher in self.teachers[:2]:
            teacher.backbone_tier = "district_backbone"
            teacher.save()
        RotationNeed.objects.create(
            school=self.weaker, school_year=YEAR, subject="数学", stage="junior", need=3
        )


def planned(flow: Planned, actor: Any, **choices: Any) -> RotationPlan:
    plan_record = request_plan(actor=actor, cluster=flow.cluster, school_year=YEAR, queue=False, **choices)
    return run_plan(plan_record.pk)


def test_the_inputs_are_the_members_eligible_teachers_and_needs_on_the_first_day() -> None:
    flow = Planned()
    inputs = plan_inputs(flow.cluster, YEAR)
    assert {s["school_code"]: s["tier"] for s in inputs["schools"]} == {
        school_key(flow.quality): "quality",
        school_key(flow.weaker): "weaker",
        school_key(flow.weaker_primary): "weaker",
    }
    assert len(inputs["teachers"]) == 10 and sum(t["backbone"] for t in inputs["teachers"]) == 2
    assert inputs["needs"] == [
        {"school_code": school_key(flow.weaker), "subject": "数学", "stage": "junior", "need": 3}
    ]
    assert inputs["thresholds"]["R-C2.rotation_share"] == "0.2000"


def test_a_plan_sends_the_quota_with_its_backbone_share(municipal: Any) -> None:
    flow = Planned()
    plan_record = planned(flow, municipal, teams=False)
    assert plan_record.status == PlanStatus.DONE and plan_record.progress == 100
    [cluster] = plan_record.result["clusters"]
    assert cluster["status"] == "optimal" and cluster["bound"] == pytest.approx(cluster["objective"])
    [school] = cluster["schools"]
    # 20% of 10 is 2; 30% of 2 is 0.6, so one of them a backbone teacher
    assert (school["eligible"], school["required"], school["sent"]) == (10, 2, 2)
    assert school["backbone_sent"] >= 1
    assert {a["to"] for a in cluster["assignments"]} == {school_key(flow.weaker)}


def test_teams_of_three_need_a_higher_share_and_the_what_if_shows_it(municipal: Any) -> None:
    flow = Planned("轮岗假设")
    base = planned(flow, municipal)  # a quota of 2 is no team of 3
    [school] = base.result["clusters"][0]["schools"]
    assert (school["required"], school["sent"], school["shortfall"]) == (2, 0, 2)
    assert "组团流入" in school["reason"]
    wider = changed_plan(actor=municipal, plan_record=base, what_if={"max_share": Decimal("0.3")})
    wider = run_plan(wider.pk)
    [school] = wider.result["clusters"][0]["schools"]
    assert (school["sent"], school["shortfall"]) == (3, 0)
    assert wider.parent == base and wider.inputs == base.inputs
    assert wider.label == "假设：派出上限 30%"
    no_teams = run_plan(changed_plan(actor=municipal, plan_record=base, what_if={"teams": False}).pk)
    assert no_teams.result["clusters"][0]["schools"][0]["sent"] == 2


def test_pins_and_forbidden_pairs_change_the_plan_and_pins_that_break_a_rule_fail_it(municipal: Any) -> None:
    flow = Planned("轮岗固定")
    base = planned(flow, municipal, teams=False)
    sent = {a["staff_number"] for a in base.result["clusters"][0]["assignments"]}
    first = sorted(sent)[0]
    forbidden = run_plan(
        changed_plan(actor=municipal, plan_record=base, forbid=(first, school_key(flow.weaker))).pk
    )
    assert first not in {a["staff_number"] for a in forbidden.result["clusters"][0]["assignments"]}
    assert forbidden.forbidden == [[first, school_key(flow.weaker)]]
    other = next(t.staff_number for t in flow.teachers[2:] if t.staff_number not in sent)
    pinned = run_plan(
        changed_plan(actor=municipal, plan_record=base, pin=(other, school_key(flow.weaker))).pk
    )
    assert other in {a["staff_number"] for a in pinned.result["clusters"][0]["assignments"]}
    to_primary = run_plan(
        changed_plan(actor=municipal, plan_record=base, pin=(other, school_key(flow.weaker_primary))).pk
    )
    assert to_primary.status == PlanStatus.FAILED and "不可行" in to_primary.error


def test_a_plan_becomes_proposed_rotations_once_all_audited(municipal: Any, make_user: Any) -> None:
    flow = Planned("轮岗落实")
    office = make_user(Role.CLUSTER_OFFICE, flow.cluster, can_edit=True)
    plan_record = planned(flow, office, teams=False)
    made = apply_plan(actor=office, plan_record=plan_record)
    assert len(made) == 2
    assert {r.status for r in made} == {"proposed"} and {r.host for r in made} == {flow.weaker}
    assert {r.start_date for r in made} == {date(2025, 9, 1)} and {r.planned_end for r in made} == {
        date(2028, 8, 31)
    }
    assert all(r.history.first().history_change_reason == f"由轮岗规划 #{plan_record.pk} 生成" for r in made)
    plan_record.refresh_from_db()
    assert plan_record.applied_by == office and plan_record.applied_at is not None
    with pytest.raises(PlanRefused, match="已于"):
        apply_plan(actor=office, plan_record=plan_record)


def test_applying_is_all_or_nothing(municipal: Any) -> None:
    flow = Planned("轮岗全有")
    plan_record = planned(flow, municipal, teams=False)
    taken = plan_record.result["clusters"][0]["assignments"][1]["staff_number"]
    teacher = next(t for t in flow.teachers if t.staff_number == taken)
    flow.rotate(teacher, flow.weaker_primary, start=date(2025, 10, 1), status="proposed")
    before = Rotation.objects.count()
    with pytest.raises(PlanRefused, match=taken):
        apply_plan(actor=municipal, plan_record=plan_record)
    assert Rotation.objects.count() == before
    plan_record.refresh_from_db()
    assert plan_record.applied_at is None


def test_rotations_already_arranged_count_and_are_kept(municipal: Any) -> None:
    flow = Planned("轮岗已有")
    flow.rotate(flow.teachers[0], flow.weaker, start=date(2025, 9, 1), status="filed")
    flow.rotate(flow.teachers[9], flow.weaker_primary, start=date(2024, 9, 1))  # away since last year
    inputs = plan_inputs(flow.cluster, YEAR)
    assert [a[0] for a in inputs["arranged"]] == [flow.teachers[0].staff_number]
    assert [a["staff_number"] for a in inputs["away"]] == [flow.teachers[9].staff_number]
    plan_record = planned(flow, municipal, teams=False)
    [school] = plan_record.result["clusters"][0]["schools"]
    # all ten count (20% of 10 is 2); the one arranged is sent, so the plan sends one more into the need left
    assert (school["eligible"], school["required"], school["sent"], school["shortfall"]) == (10, 2, 2, 0)
    [assignment] = plan_record.result["clusters"][0]["assignments"]
    assert assignment["staff_number"] not in {flow.teachers[0].staff_number, flow.teachers[9].staff_number}
    made = apply_plan(actor=municipal, plan_record=plan_record)
    assert [r.teacher.staff_number for r in made] == [
        assignment["staff_number"]
    ]  # the filed one stays as it is


def test_only_the_clusters_bureau_and_office_plan(make_user: Any) -> None:
    flow = Planned("轮岗权限")
    school = make_user(Role.SCHOOL, flow.quality, can_edit=True)
    with pytest.raises(PermissionDenied):
        request_plan(actor=school, cluster=flow.cluster, school_year=YEAR, queue=False)
    other = Planned("轮岗他人")
    office = make_user(Role.CLUSTER_OFFICE, other.cluster, can_edit=True)
    with pytest.raises(PermissionDenied):
        request_plan(actor=office, cluster=flow.cluster, school_year=YEAR, queue=False)
    bureau = make_user(Role.DISTRICT_BUREAU, flow.district, can_edit=True)
    assert request_plan(actor=bureau, cluster=flow.cluster, school_year=YEAR, queue=False).pk
    assert RotationPlan.objects.restrict(school).count() == 1  # the school sees its cluster's plans
    assert RotationPlan.objects.restrict(office).count() == 0


def test_schools_without_coordinates_are_named() -> None:
    flow = Planned("轮岗坐标")
    flow.weaker.longitude = None
    flow.weaker.save()
    with pytest.raises(PlanRefused, match=flow.weaker.name):
        plan_inputs(flow.cluster, YEAR)


def test_the_command_plans_the_records_as_the_page_does(municipal: Any) -> None:
    import io
    import json

    from django.core.management import call_command

    flow = Planned("轮岗命令")
    flow.rotate(flow.teachers[0], flow.weaker, start=date(2025, 9, 1), status="filed")
    out = io.StringIO()
    call_command(
        "plan", "rotations", "--year", "2025", "--cluster", str(flow.cluster.pk), "--no-teams", stdout=out
    )
    printed = json.loads(out.getvalue())
    kept = planned(flow, municipal, teams=False)
    assert printed["clusters"] == kept.result["clusters"]
    assert printed["clusters"][0]["schools"][0]["sent"] == 2


def test_the_command_names_a_missing_cluster() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有编号为 999999 的集群"):
        call_command("plan", "rotations", "--year", "2025", "--cluster", "999999")
