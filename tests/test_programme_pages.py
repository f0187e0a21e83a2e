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
from junheng.programmes.models import Interaction, Pairing

pytestmark = pytest.mark.django_db


def test_the_pairing_page_shows_its_findings(make_user: Any) -> None:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 7, 15))
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district))
    page = client.get(f"/programmes/pairings/{pairing.pk}/").content.decode()
    section = page.split("合规检查</h2>")[1]
    assert "R-B3" in section and "status-fail" in section and "常驻人员 0 人" in section


def chart(client: Client) -> dict[str, Any]:
    page = client.get("/programmes/charts/").content.decode()
    return json.loads(page.split('<script id="chart-data" type="application/json">')[1].split("</script>")[0])


def test_interactions_per_month_by_district_within_scope(make_user: Any) -> None:
    baoshan_pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    qingpu_pairing = Pairing.objects.get(kind="entrusted", sequence=17)
    for day in (date(2021, 3, 2), date(2021, 3, 20), date(2021, 4, 8)):
        Interaction.objects.create(pairing=baoshan_pairing, date=day, kind="on_site")
    Interaction.objects.create(pairing=baoshan_pairing, date=date(2021, 3, 9), kind="online")
    Interaction.objects.create(pairing=qingpu_pairing, date=date(2021, 3, 9), kind="on_site")
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    assert chart(client) == {"months": ["2021-03", "2021-04"], "series": [{"name": "宝山区", "data": [2, 1]}]}
    with CaptureQueriesContext(connection) as few:
        client.get("/programmes/charts/")
    for month in range(5, 13):
        Interaction.objects.create(pairing=baoshan_pairing, date=date(2021, month, 3), kind="on_site")
    with CaptureQueriesContext(connection) as many:
        client.get("/programmes/charts/")
    assert len(many) == len(few)
