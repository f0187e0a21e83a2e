"""A rotation's whole workflow through the API (issue 14), each role with a token made by `create_token`: the
sending school proposes (POST /api/v1/rotations/), the cluster office agrees, the district bureau files, starts
and ends it early with the reason (/advance/, /end/). Each step asked by the wrong role answers exactly the code
the API documents for it — 403 for a role that never takes the step, 422 for a step out of turn, 404 for a
rotation outside the caller's scope — with the reason in Chinese."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.staffing.models import Rotation, Teacher
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db

JSON = "application/json"
MAY_AGREE = "只有两校共同所在学区/集团的办公室或区教育局可以同意。"
MAY_FILE = "只有派出学校所在区的区教育局可以备案或开始轮岗。"
MAY_END = "只有派出学校所在区的区教育局可以结束轮岗。"


@pytest.fixture
def world(municipal: Any, make_user: Any) -> dict[str, Any]:
    """Two clusters of 宝山区: the sending (quality) and the receiving (weaker) school in one, a third school in
    the other; an editor of each school, of each cluster's office and of the bureau, and the teacher itself."""
    baoshan = District.objects.get(code="310113")
    sending, receiving, elsewhere = (
        School.objects.create(name=name, district=baoshan)
        for name in ("接口优质校", "接口薄弱校", "接口他校")
    )
    ours = Cluster.objects.create(name="接口学区", kind="zone", district=baoshan, lead_school=sending)
    theirs = Cluster.objects.create(name="接口他学区", kind="zone", district=baoshan, lead_school=elsewhere)
    for cluster, school, tier in (
        (ours, sending, Tier.QUALITY),
        (ours, receiving, Tier.WEAKER),
        (theirs, elsewhere, Tier.QUALITY),
    ):
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier=tier, start_date=date(2020, 9, 1)
        )
    teacher = employ(
        actor=municipal,
        teacher=Teacher(name="接口教师", staff_number="API-1", backbone_tier="district_backbone"),
        school=sending,
        since=date(2012, 9, 1),
    )
    users = {
        "school": make_user(Role.SCHOOL, sending, can_edit=True),
        "host": make_user(Role.SCHOOL, receiving, can_edit=True),
        "outsider": make_user(Role.SCHOOL, elsewhere, can_edit=True),
        "cluster": make_user(Role.CLUSTER_OFFICE, ours, can_edit=True),
        "other-cluster": make_user(Role.CLUSTER_OFFICE, theirs, can_edit=True),
        "bureau": make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True),
        "teacher": make_user(Role.TEACHER, sending),
    }
    teacher.user = users["teacher"]
    teacher.save(update_fields=["user"])
    return {
        "teacher": teacher,
        "receiving": receiving,
        "users": users,
        "api": {k: api(u) for k, u in users.items()},
    }


def api(user: Any) -> Client:
    """A client sending the token `create_token` prints for the user."""
    out = StringIO()
    call_command("create_token", user.username, label="journey", stdout=out)
    return Client(headers={"authorization": f"Bearer {out.getvalue().strip()}"})


def proposal(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "teacher": world["teacher"].pk,
        "kind": "exchange",
        "host": world["receiving"].pk,
        "start_date": "2024-09-01",
        "planned_end": "2027-08-31",
        "duties": ["class_teaching", "research_lead"],
        "subjects": "数学",
    }


def test_the_rotation_journey_through_the_api(world: dict[str, Any]) -> None:
    clients = world["api"]
    school, cluster, bureau = clients["school"], clients["cluster"], clients["bureau"]

    assert Client().post("/api/v1/rotations/", proposal(world), content_type=JSON).status_code == 401
    refused = clients["teacher"].post("/api/v1/rotations/", proposal(world), content_type=JSON)
    assert refused.status_code == 403 and refused.json()["detail"].startswith("只有市教委")
    foreign = clients["outsider"].post("/api/v1/rotations/", proposal(world), content_type=JSON)
    assert (
        foreign.status_code == 422 and "teacher" in foreign.json()["detail"]
    )  # not a teacher it may propose
    assert not Rotation.objects.exists()

    created = school.post("/api/v1/rotations/", proposal(world), content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["from_school"]["name"], body["host"]["name"], body["duties"]) == (
        "proposed",
        "接口优质校",
        "接口薄弱校",
        ["class_teaching", "research_lead"],
    )
    rotation = f"/api/v1/rotations/{body['id']}/"

    def advance(client: Client, to: str) -> Any:
        return client.post(f"{rotation}advance/", {"to": to}, content_type=JSON)

    def end(client: Client, on: str, reason: str = "") -> Any:
        return client.post(f"{rotation}end/", {"on": on, "reason": reason}, content_type=JSON)

    def refusal(answer: Any, status: int, detail: str) -> None:
        assert (answer.status_code, answer.json()["detail"]) == (status, detail), answer.content.decode()

    # Proposed: only the cluster's office (or the bureau) agrees; nothing else is in turn.
    refusal(advance(school, "agreed"), 403, MAY_AGREE)
    refusal(
        advance(clients["host"], "agreed"), 403, MAY_AGREE
    )  # the receiving school sees it, agrees nothing
    refusal(advance(school, "filed"), 403, MAY_FILE)  # the school never files, whatever the status
    refusal(advance(cluster, "filed"), 403, MAY_FILE)
    refusal(advance(bureau, "filed"), 422, "该轮岗状态为“已提出”，须先为“学区/集团已同意”。")
    refusal(end(bureau, "2025-06-30", "因病调回"), 422, "只有已报区备案或进行中的轮岗才能结束。")
    for outside in ("outsider", "other-cluster"):
        assert clients[outside].get(rotation).status_code == 404
        refusal(advance(clients[outside], "agreed"), 404, "Not found")
        refusal(end(clients[outside], "2025-06-30", "因病调回"), 404, "Not found")
    assert advance(school, "ended").status_code == 422  # not a step /advance/ takes (invalid payload)
    assert (
        school.post("/api/v1/rotations/999999/advance/", {"to": "agreed"}, content_type=JSON).status_code
        == 404
    )

    agreed = advance(cluster, "agreed")
    assert (agreed.status_code, agreed.json()["status"]) == (200, "agreed")
    refusal(advance(cluster, "agreed"), 422, "该轮岗状态为“学区/集团已同意”，须先为“已提出”。")
    refusal(advance(cluster, "in_progress"), 403, MAY_FILE)

    filed = advance(bureau, "filed")
    assert (filed.status_code, filed.json()["status"]) == (200, "filed")
    refusal(advance(school, "in_progress"), 403, MAY_FILE)
    refusal(end(cluster, "2025-06-30", "因病调回"), 403, MAY_END)
    refusal(end(school, "2025-06-30", "因病调回"), 403, MAY_END)

    started = advance(bureau, "in_progress")
    assert (started.status_code, started.json()["status"]) == (200, "in_progress")

    early = end(bureau, "2025-06-30")  # before the planned end, and no reason
    refusal(early, 422, "轮岗在计划结束日期前结束，请填写提前结束原因。")
    ended = end(bureau, "2025-06-30", "  因病调回 ")
    assert ended.status_code == 200, ended.content
    assert {k: ended.json()[k] for k in ("status", "actual_end", "end_reason")} == {
        "status": "ended",
        "actual_end": "2025-06-30",
        "end_reason": "因病调回",
    }
    refusal(end(bureau, "2025-07-31", "再次结束"), 422, "只有已报区备案或进行中的轮岗才能结束。")

    # Everyone concerned reads the ended rotation; the school of the other cluster still finds nothing.
    for reader in ("school", "host", "cluster", "bureau", "teacher"):
        read = clients[reader].get(rotation)
        assert (read.status_code, read.json()["status"]) == (200, "ended"), reader
    assert clients["outsider"].get(rotation).status_code == 404

    users = world["users"]
    history = Rotation.objects.get(pk=body["id"]).history.order_by("history_date", "history_id")
    assert [(h.history_user, h.history_change_reason) for h in history] == [
        (users["school"], "已提出"),
        (users["cluster"], "学区/集团已同意"),
        (users["bureau"], "已报区备案"),
        (users["bureau"], "进行中"),
        (users["bureau"], "已结束"),
    ]
