"""The layout advisor's page (R-A5): a bureau lays out its own district only; the proposal on the page is the
analyst function's on the district's records, and keeps every rule."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db.models import Count
from django.utils import timezone

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.layout import Options, propose
from junheng.policy.layout.platform import bounds_for, district_layout
from junheng.policy.layout.problem import violations

pytestmark = pytest.mark.django_db


def busiest_district() -> District:
    """The demo district with the most clusters (so the current layout sets the bounds)."""
    return District.objects.annotate(n=Count("clusters")).order_by("-n", "code").first()


def test_a_bureau_lays_out_its_own_district_and_not_another(client: Any, make_user: Any) -> None:
    district = busiest_district()
    other = District.objects.exclude(pk=district.pk).first()
    client.force_login(make_user(Role.DISTRICT_BUREAU, district))
    response = client.get("/policy/layout/")
    assert response.status_code == 200
    assert response.context["district"] == district
    assert client.get(f"/policy/layout/?district={other.code}").status_code == 404
    assert client.get(f"/policy/layout/layout.xlsx?district={other.code}").status_code == 404


def test_a_school_has_no_layout_to_see(client: Any, make_user: Any) -> None:
    school = busiest_district().schools.first()
    client.force_login(make_user(Role.SCHOOL, school))
    assert client.get("/policy/layout/").status_code == 404


def test_the_pages_proposal_is_the_analyst_functions_and_keeps_the_rules(client: Any, municipal: Any) -> None:
    district = busiest_district()
    client.force_login(municipal)
    response = client.get(f"/policy/layout/?district={district.code}&mixed_stages=on")
    assert response.status_code == 200
    layout = district_layout(district, timezone.localdate())
    options = bounds_for(layout, Options(mixed_stages=True))
    expected = propose(layout.schools, options)
    shown = response.context["result"]
    assert shown.objective == pytest.approx(expected.objective)
    assert [c.members for c in shown.clusters] == [c.members for c in expected.clusters]
    layout_map = {code: c.lead for c in shown.clusters for code in c.members}
    assert violations(layout.schools, layout_map, options.min_size, options.max_size or 10**6, True) == []
    proposed = response.context["proposed"]
    assert proposed["clusters"] == len(expected.clusters)
    assert proposed["weaker_covered"] == proposed["weaker_total"]
    assert proposed["student_km"] == pytest.approx(expected.objective, rel=1e-6)
    assert (
        'id="row-current"' in response.content.decode() and 'id="row-proposed"' in response.content.decode()
    )


def test_the_bounds_default_to_the_current_layout_and_the_form_changes_them(
    client: Any, municipal: Any
) -> None:
    district = busiest_district()
    layout = district_layout(district, timezone.localdate())
    sizes = [c.size for c in layout.current]
    client.force_login(municipal)
    options = client.get(f"/policy/layout/?district={district.code}").context["options"]
    assert (options.min_size, options.max_size) == (min(sizes), max(sizes))
    response = client.get(f"/policy/layout/?district={district.code}&min_size=2&max_size=40&mixed_stages=on")
    assert (response.context["options"].min_size, response.context["options"].max_size) == (2, 40)
    result = response.context["result"]
    assert result is None or all(2 <= len(c.members) <= 40 for c in result.clusters)


def test_an_impossible_bound_is_said_in_chinese(client: Any, municipal: Any) -> None:
    district = busiest_district()
    client.force_login(municipal)
    response = client.get(f"/policy/layout/?district={district.code}&min_size=5&max_size=3")
    assert response.context["result"] is None
    assert "最小规模 5 大于最大规模 3" in response.context["refusal"]


def test_the_proposal_exports_to_excel(client: Any, municipal: Any) -> None:
    district = busiest_district()
    client.force_login(municipal)
    response = client.get(f"/policy/layout/layout.xlsx?district={district.code}&mixed_stages=on")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["集群", "成员校", "求解", "学校"]
    layout = district_layout(district, timezone.localdate())
    expected = propose(layout.schools, bounds_for(layout, Options(mixed_stages=True)))
    assert book["集群"].max_row == 1 + len(expected.clusters)
    assert book["学校"].max_row == 1 + len(layout.schools)
