"""A rotation's workflow (issue 14.4) through the pages and the API: the sending school proposes, the cluster
office agrees, the district bureau files and starts it, and it ends (early, with the reason). A step taken by the
wrong role is refused, saying who may, in Chinese; every step is in the rotation's history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.staffing.models import Rotation, Teacher
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(municipal: Any, make_user: Any) -> dict[str, Any]:
    baoshan = District.objects.get(code="310113")
    sending, receiving = (
        School.objects.create(name=n, district=baoshan) for n in ("流程优质校", "流程薄弱校")
    )
    cluster = Cluster.objects.create(name="流程学区", kind="zone", district=baoshan, lead_school=sending)
    for school, tier in ((sending, Tier.QUALITY), (receiving, Tier.WEAKER)):
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier=tier, start_date=date(2020, 9, 1)
        )
    teacher = employ(
        actor=municipal,
        teacher=Teacher(name="流程教师", staff_number="FLOW-1", backbone_tier="district_backbone"),
        school=sending,
        since=date(2012, 9, 1),
    )
    users = {
        "school": make_user(Role.SCHOOL, sending, can_edit=True),
        "host": make_user(Role.SCHOOL, receiving, can_edit=True),
        "cluster": make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True),
        "bureau": make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True),
    }
    return {"teacher": teacher, "sending": sending, "receiving": receiving, "users": users}


def page_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def propose(flow: dict[str, Any]) -> Rotation:
    response = page_as(flow["users"]["school"]).post(
        "/staffing/rotations/add/",
        {
            "teacher": flow["teacher"].pk,
            "kind": "exchange",
            "host": flow["receiving"].pk,
            "start_date": "2024-09-01",
            "planned_end": "2027-08-31",
            "duties": ["class_teaching", "research_lead"],
            "subjects": "数学",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Rotation.objects.get(teacher=flow["teacher"])


def buttons(client: Client, rotation: Rotation) -> str:
    """The workflow's buttons the page offers."""
    page = client.get(rotation.get_absolute_url()).content.decode()
    if 'id="rotation-steps"' not in page:
        return ""
    return page.split('id="rotation-steps"', 1)[1].split("<!-- /rotation-steps -->", 1)[0]


def test_school_proposes_cluster_agrees_bureau_files_on_the_pages(flow: dict[str, Any]) -> None:
    rotation = propose(flow)
    assert (rotation.status, rotation.from_school, rotation.duties) == (
        "proposed",
        flow["sending"],
        ["class_teaching", "research_lead"],
    )
    school, cluster, bureau = (page_as(flow["users"][k]) for k in ("school", "cluster", "bureau"))
    step = f"/staffing/rotations/{rotation.pk}/step/"

    assert buttons(school, rotation) == ""  # the school is offered no step …
    refused = school.post(f"{step}agreed/")  # … and one taken anyway is refused, saying who may
    assert refused.status_code == 403
    assert "只有两校共同所在学区/集团的办公室或区教育局可以同意" in refused.content.decode()

    assert ">同意<" in buttons(cluster, rotation)
    assert cluster.post(f"{step}agreed/").status_code == 302
    assert "只有派出学校所在区的区教育局" in cluster.post(f"{step}filed/").content.decode()

    assert ">备案<" in buttons(bureau, rotation)
    bureau.post(f"{step}filed/")
    assert ">开始<" in buttons(bureau, rotation) and ">结束<" in buttons(bureau, rotation)
    bureau.post(f"{step}in_progress/")
    early = bureau.post(f"{step}ended/", {"on": "2025-06-30", "reason": ""}, follow=True).content.decode()
    assert "提前结束原因" in early
    bureau.post(f"{step}ended/", {"on": "2025-06-30", "reason": "因病调回"})
    rotation.refresh_from_db()
    assert (rotation.status, rotation.actual_end, rotation.end_reason) == (
        "ended",
        date(2025, 6, 30),
        "因病调回",
    )

    history = school.get(f"/staffing/rotations/{rotation.pk}/history/").content.decode()
    for reason in ("已提出", "学区/集团已同意", "已报区备案", "进行中", "已结束"):
        assert reason in history, reason


def test_an_agreed_rotation_keeps_its_terms(flow: dict[str, Any]) -> None:
    rotation = propose(flow)
    page_as(flow["users"]["cluster"]).post(f"/staffing/rotations/{rotation.pk}/step/agreed/")
    api = api_as(flow["users"]["school"])
    moved = api.patch(
        f"/api/v1/rotations/{rotation.pk}/", {"planned_end": "2025-08-31"}, content_type="application/json"
    )
    assert moved.status_code == 422
    assert "不再变更" in str(moved.json())
    duties = api.patch(
        f"/api/v1/rotations/{rotation.pk}/", {"duties": ["guidance"]}, content_type="application/json"
    )
    assert duties.status_code == 200 and duties.json()["duties"] == ["guidance"]


def test_the_same_workflow_through_the_api(flow: dict[str, Any]) -> None:
    school, cluster, bureau = (api_as(flow["users"][k]) for k in ("school", "cluster", "bureau"))
    created = school.post(
        "/api/v1/rotations/",
        {
            "teacher": flow["teacher"].pk,
            "kind": "team_inflow",
            "host": flow["receiving"].pk,
            "start_date": "2024-09-01",
            "planned_end": "2027-08-31",
            "duties": ["project"],
            "team": "数学组团",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["from_school"]["name"], body["duties"]) == (
        "proposed",
        "流程优质校",
        ["project"],
    )
    advance = f"/api/v1/rotations/{body['id']}/advance/"

    refused = school.post(advance, {"to": "agreed"}, content_type="application/json")
    assert refused.status_code == 403 and "学区/集团的办公室" in refused.json()["detail"]
    too_early = bureau.post(advance, {"to": "filed"}, content_type="application/json")
    assert too_early.status_code == 422 and "已提出" in too_early.json()["detail"]
    assert (
        cluster.post(advance, {"to": "agreed"}, content_type="application/json").json()["status"] == "agreed"
    )
    assert bureau.post(advance, {"to": "filed"}, content_type="application/json").json()["status"] == "filed"
    assert bureau.post(advance, {"to": "in_progress"}, content_type="application/json").status_code == 200
    ended = bureau.post(
        f"/api/v1/rotations/{body['id']}/end/", {"on": "2027-08-31"}, content_type="application/json"
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    outsider = api_as(flow["users"]["host"]).post(advance, {"to": "agreed"}, content_type="application/json")
    assert outsider.status_code == 403  # the receiving school takes no step, whatever the status


def test_another_district_does_not_find_the_rotation(flow: dict[str, Any], make_user: Any) -> None:
    rotation = propose(flow)
    other = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310105"), can_edit=True)
    assert page_as(other).post(f"/staffing/rotations/{rotation.pk}/step/agreed/").status_code == 404
    answer = api_as(other).post(
        f"/api/v1/rotations/{rotation.pk}/advance/", {"to": "agreed"}, content_type="application/json"
    )
    assert answer.status_code == 404


def test_the_employer_changes_on_the_teachers_page_not_in_its_form(flow: dict[str, Any]) -> None:
    teacher, bureau = flow["teacher"], flow["users"]["bureau"]
    page = page_as(bureau)
    assert 'id="employ-form"' in page.get(teacher.get_absolute_url()).content.decode()
    assert (
        'id="employ-form"'
        not in page_as(flow["users"]["host"]).get(teacher.get_absolute_url()).content.decode()
    )
    api = api_as(bureau)
    moved = api.patch(
        f"/api/v1/teachers/{teacher.pk}/", {"employer": flow["receiving"].pk}, content_type="application/json"
    )
    assert moved.status_code == 422 and "变更编制" in str(moved.json())
    page.post(
        f"/staffing/teachers/{teacher.pk}/employ/", {"school": flow["receiving"].pk, "since": "2024-09-01"}
    )
    teacher.refresh_from_db()
    assert (teacher.employer, teacher.employed_since) == (flow["receiving"], date(2024, 9, 1))
    history = [
        (e["school"]["name"], e["end_date"])
        for e in api.get("/api/v1/employments/", {"teacher": teacher.pk}).json()["items"]
    ]
    assert history == [("流程优质校", "2024-08-31"), ("流程薄弱校", None)]


def test_only_the_bureau_records_that_a_staffing_plan_is_filed(flow: dict[str, Any]) -> None:
    cluster = Cluster.objects.get(name="流程学区")
    office = api_as(flow["users"]["cluster"])
    created = office.post(
        "/api/v1/staffing-plans/",
        {"cluster": cluster.pk, "school_year": 2024, "covers_flow": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    plan = created.json()["id"]
    filed = {"filed_on": "2024-10-08"}
    refused = office.patch(f"/api/v1/staffing-plans/{plan}/", filed, content_type="application/json")
    assert refused.status_code == 403 and "只有区教育局" in refused.json()["detail"]
    bureau = api_as(flow["users"]["bureau"])
    assert (
        bureau.patch(f"/api/v1/staffing-plans/{plan}/", filed, content_type="application/json").json()[
            "filed_on"
        ]
        == "2024-10-08"
    )
