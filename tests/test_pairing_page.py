"""A pairing's page stays short: its interactions are shown once, as a chart per month against the requirement and
the latest 10 rows with a link to all of them; every long section shows 10 rows and the link."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from junheng.demo.programme import demo_work_build
from junheng.organisations.choices import Role
from junheng.programmes.models import Interaction, Pairing

pytestmark = pytest.mark.django_db


def section(page: str, title: str) -> str:
    return page.split(f'<h2 class="h5 me-auto">{title}</h2>')[1].split('<h2 class="h5')[0]


def test_a_demo_pairing_with_many_interactions_lists_ten_and_charts_them_all(make_user: Any) -> None:
    demo_work_build("small")
    busiest = (
        Pairing.objects.filter(kind="mutual_growth", supported_school__is_demo=True)
        .annotate(n=Count("interactions"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None and busiest.n > 10
    client = Client()
    client.force_login(make_user(Role.MUNICIPAL))
    page = client.get(f"/programmes/pairings/{busiest.pk}/").content.decode()

    interactions = section(page, "互动交流")
    rows = interactions.split("<tbody")[1].split("</tbody>")[0]
    assert rows.count("<tr") == 10
    latest = Interaction.objects.filter(pairing=busiest).latest("date").date
    assert latest.isoformat() in rows.split("</tr>")[0]  # the latest first
    assert (
        f'href="/programmes/interactions/?pairing={busiest.pk}">查看全部 {busiest.n} 条</a>' in interactions
    )
    timeline = section(page, "时间线")
    assert "/programmes/interactions/" not in timeline  # listed once, in their own section
    assert timeline.split("<tbody")[1].split("</tbody>")[0].count("<tr") <= 10

    data = json.loads(
        page.split('<script id="interactions-by-month" type="application/json">')[1].split("</script>")[0]
    )
    counted = Counter(
        f"{day:%Y-%m}"
        for day in Interaction.objects.filter(pairing=busiest, kind="on_site").values_list("date", flat=True)
    )
    on_site = dict(zip(data["months"], data["series"][0]["data"], strict=True))
    assert {month: n for month, n in on_site.items() if n} == dict(counted)
    assert sum(sum(s["data"]) for s in data["series"]) == busiest.n
    assert data["required"] == 1.0  # S1: at least one on-site interaction a month
    assert 'src="/static/junheng/pairing-interactions-chart.js"' in page


def test_a_short_section_has_no_link_to_the_full_list(make_user: Any) -> None:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    client = Client()
    client.force_login(make_user(Role.MUNICIPAL))
    page = client.get(f"/programmes/pairings/{pairing.pk}/").content.decode()
    assert "查看全部" not in page
    data = json.loads(
        page.split('<script id="interactions-by-month" type="application/json">')[1].split("</script>")[0]
    )
    assert data["required"] is None  # the monthly requirement is a mutual-growth project's
