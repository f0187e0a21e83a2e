"""The pairing page shows its compliance findings; the statistics page charts on-site interactions per month by
district, within scope and with a fixed number of queries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.programmes.models import Interaction, Pairing, ResidentAssignment, ThreeYearPlan

pytestmark = pytest.mark.django_db


def test_the_pairing_page_shows_its_findings(make_user: Any) -> None:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 7, 15))
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district))
    page = client.get(f"/programmes/pairings/{pairing.pk}/").content.decode()
    section = page.split("合规检查</h2>")[1]
    assert "精准委托管理常驻团队" in section and "status-fail" in section and "常驻人员 0 人" in section


def chart(client: Client, name: str = "chart-data") -> Any:
    page = client.get("/programmes/charts/").content.decode()
    return json.loads(page.split(f'<script id="{name}" type="application/json">')[1].split("</script>")[0])


def test_interactions_per_month_by_district_within_scope(make_user: Any) -> None:
    baoshan_pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    qingpu_pairing = Pairing.objects.get(kind="entrusted", sequence=17)
    for day in (date(2021, 3, 2), date(2021, 3, 20), date(2021, 4, 8)):
        Interaction.objects.create(pairing=baoshan_pairing, date=day, kind="on_site")
    Interaction.objects.create(
        pairing=baoshan_pairing, date=date(2021, 3, 9), kind="online", activity="class"
    )
    Interaction.objects.create(pairing=qingpu_pairing, date=date(2021, 3, 9), kind="online", activity="class")
    Interaction.objects.create(pairing=qingpu_pairing, date=date(2021, 3, 9), kind="on_site")
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    assert chart(client) == {"months": ["2021-03", "2021-04"], "series": [{"name": "宝山区", "data": [2, 1]}]}
    assert chart(client, "online-data") == [
        {"name": "集体备课", "value": 0},
        {"name": "教研", "value": 0},
        {"name": "课堂教学", "value": 1},
        {"name": "技术培训", "value": 0},
        {"name": "其他", "value": 0},
    ]
    with CaptureQueriesContext(connection) as few:
        client.get("/programmes/charts/")
    for month in range(5, 13):
        Interaction.objects.create(pairing=baoshan_pairing, date=date(2021, month, 3), kind="on_site")
    with CaptureQueriesContext(connection) as many:
        client.get("/programmes/charts/")
    assert len(many) == len(few)


def test_the_pairing_page_shows_its_work_as_a_timeline_newest_first(make_user: Any) -> None:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    ResidentAssignment.objects.create(
        pairing=pairing,
        person_name="王老师",
        role="manager",
        start_date=date(2021, 2, 1),
        end_date=date(2022, 1, 31),
    )
    Interaction.objects.create(pairing=pairing, date=date(2021, 3, 2), kind="online", activity="class")
    ThreeYearPlan.objects.create(pairing=pairing, title="三年发展规划", submitted_on=date(2021, 4, 1))
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district))
    page = client.get(f"/programmes/pairings/{pairing.pk}/").content.decode()
    timeline = page.split("时间线</h2>")[1].split("</table>")[0]
    events = ["常驻人员离岗", "三年规划提交", "常驻人员到岗"]
    positions = [timeline.index(event) for event in events]
    assert positions == sorted(positions)
    assert "2022-01-31" in timeline and "王老师（管理人员）" in timeline
    assert "规划批准" not in timeline  # not approved, so no such step
    assert "互动交流" not in timeline  # interactions have their own chart and section
