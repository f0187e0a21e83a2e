"""The rotation planner's pages as a cluster office uses them: the planning page with its needs and eligible
teachers, asking for a plan, the plan with its table, chart and downloads (its JSON the command's), changes by
hand, the what-if side by side, proposing the rotations, and who may see or do what."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from junheng.organisations.choices import Role
from junheng.policy.models import PlanStatus, RotationPlan
from junheng.policy.planning import run_plan, school_key
from junheng.staffing.models import Rotation

from .test_rotation_plans import YEAR, Planned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def school_year_2025(settings: Any) -> Any:
    """Plans are made for the coming school year and the one under way: 2025 is under way on this day."""
    import time_machine

    with time_machine.travel("2025-10-08 10:00 +0800", tick=False):
        yield


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office_of(flow: Planned, make_user: Any) -> Client:
    return client_of(make_user(Role.CLUSTER_OFFICE, flow.cluster, can_edit=True))


def planning_url(flow: Planned) -> str:
    return f"/policy/clusters/{flow.cluster.pk}/rotation-planning/?school_year={YEAR}"


def asked_plan(client: Client, flow: Planned, **form: str) -> RotationPlan:
    fields = {"school_year": str(YEAR), "method": "optimal", "teams": "on", **form}
    response = client.post(planning_url(flow), {k: v for k, v in fields.items() if v is not None})
    assert response.status_code == 302
    plan_record = RotationPlan.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert plan_record.status == PlanStatus.QUEUED
    return run_plan(plan_record.pk)


def test_the_planning_page_shows_the_needs_the_teachers_and_the_steps(make_user: Any) -> None:
    flow = Planned("页面规划")
    page = office_of(flow, make_user).get(planning_url(flow)).content.decode()
    assert "相对薄弱校：需求" in page and flow.weaker.name in page
    assert "可参与轮岗" in page and ">10<" in page  # ten teachers free to rotate
    assert 'id="make-plan"' in page and "填写需求" in page


def test_a_plan_asked_on_the_page_shows_its_table_chart_and_the_commands_json(make_user: Any) -> None:
    flow = Planned("页面结果")
    client = office_of(flow, make_user)
    plan_record = asked_plan(client, flow)  # teams on: a quota of 2 is no team of 3
    page = client.get(plan_record.get_absolute_url()).content.decode()
    assert "已证明最优" in page and "组团流入的要求" in page
    assert 'id="plan-chart"' in page and 'id="plan-data"' in page
    downloaded = client.get(f"/policy/rotation-plans/{plan_record.pk}/plan.json")
    out = io.StringIO()
    call_command("plan", "rotations", "--year", str(YEAR), "--cluster", str(flow.cluster.pk), stdout=out)
    assert json.loads(downloaded.content)["clusters"] == json.loads(out.getvalue())["clusters"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/policy/rotation-plans/{plan_record.pk}/plan.xlsx").content)
    )
    assert workbook.sheetnames == ["学校", "轮岗安排", "集群"]
    with zipfile.ZipFile(
        io.BytesIO(client.get(f"/policy/rotation-plans/{plan_record.pk}/inputs.zip").content)
    ) as z:
        assert sorted(z.namelist()) == ["needs.csv", "schools.csv", "teachers.csv"]
        assert len(z.read("teachers.csv").decode().splitlines()) == 11


def test_the_files_of_a_plan_plan_again_to_the_same_result(make_user: Any, tmp_path: Any) -> None:
    flow = Planned("页面复现")
    client = office_of(flow, make_user)
    plan_record = asked_plan(client, flow, teams="on", max_share="30")
    archive = client.get(f"/policy/rotation-plans/{plan_record.pk}/inputs.zip").content
    zipfile.ZipFile(io.BytesIO(archive)).extractall(tmp_path)
    out = io.StringIO()
    call_command(
        "plan",
        "rotations",
        "--teachers",
        str(tmp_path / "teachers.csv"),
        "--schools",
        str(tmp_path / "schools.csv"),
        "--needs",
        str(tmp_path / "needs.csv"),
        "--max-share",
        "0.3",
        stdout=out,
    )
    assert json.loads(out.getvalue())["clusters"] == plan_record.result["clusters"]
    assert plan_record.result["clusters"][0]["schools"][0]["sent"] == 3


def test_forbid_pin_and_what_if_make_plans_beside_it_and_the_comparison_shows_them(make_user: Any) -> None:
    flow = Planned("页面调整")
    client = office_of(flow, make_user)
    base = asked_plan(client, flow)
    response = client.post(
        f"/policy/rotation-plans/{base.pk}/change/", {"action": "what_if", "max_share": "30", "teams": "on"}
    )
    wider = run_plan(RotationPlan.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1])).pk)
    assert wider.parent == base and wider.result["clusters"][0]["schools"][0]["sent"] == 3
    sent = wider.result["clusters"][0]["assignments"][0]["staff_number"]
    response = client.post(
        f"/policy/rotation-plans/{wider.pk}/change/",
        {"action": "forbid", "teacher": sent, "school": school_key(flow.weaker)},
    )
    forbidden = run_plan(int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert sent not in {a["staff_number"] for a in forbidden.result["clusters"][0]["assignments"]}
    compared = client.get(f"/policy/rotation-plans/compare/?plan={base.pk}&plan={wider.pk}").content.decode()
    assert "假设：派出上限 30%" in compared
    assert '<td class="shortfall">2 / 2</td>' in compared and '<td class="shortfall">0 / 2</td>' in compared


def test_proposing_the_plan_makes_its_rotations_once(make_user: Any) -> None:
    flow = Planned("页面落实")
    client = office_of(flow, make_user)
    plan_record = asked_plan(client, flow, max_share="30", teams="on")
    response = client.post(f"/policy/rotation-plans/{plan_record.pk}/apply/", follow=True)
    assert "已生成 3 条轮岗提议" in response.content.decode()
    assert Rotation.objects.filter(host=flow.weaker, status="proposed", kind="team_inflow").count() == 3
    again = client.post(f"/policy/rotation-plans/{plan_record.pk}/apply/", follow=True).content.decode()
    assert "该规划已于" in again and Rotation.objects.filter(host=flow.weaker).count() == 3


def test_who_may_see_and_change_a_plan(make_user: Any) -> None:
    flow = Planned("页面权限")
    plan_record = asked_plan(office_of(flow, make_user), flow)
    school = client_of(make_user(Role.SCHOOL, flow.quality, can_edit=True))
    assert school.get(plan_record.get_absolute_url()).status_code == 200
    assert 'id="apply-form"' not in school.get(plan_record.get_absolute_url()).content.decode()
    assert school.post(f"/policy/rotation-plans/{plan_record.pk}/apply/").status_code in (403, 404)
    assert school.post(planning_url(flow), {"school_year": str(YEAR)}).status_code == 403
    other = Planned("页面他人")
    outsider = office_of(other, make_user)
    assert outsider.get(plan_record.get_absolute_url()).status_code == 404
    assert outsider.get(planning_url(flow)).status_code == 404
    assert outsider.get(f"/policy/rotation-plans/{plan_record.pk}/plan.json").status_code == 404
    assert Rotation.objects.filter(host=flow.weaker).count() == 0


def test_bad_input_is_refused_clearly(make_user: Any) -> None:
    flow = Planned("页面输入")
    client = office_of(flow, make_user)
    assert client.post(planning_url(flow), {"school_year": str(YEAR), "max_share": "abc"}).status_code == 400
    assert (
        client.get(f"/policy/clusters/{flow.cluster.pk}/rotation-planning/?school_year=2019").status_code
        == 400
    )
    assert "请选择 2 至 4 个规划" in client.get("/policy/rotation-plans/compare/?plan=1").content.decode()
    assert client.get("/policy/rotation-plans/compare/?plan=x&plan=2").status_code == 400
    assert RotationPlan.objects.filter(cluster=flow.cluster).count() == 0
