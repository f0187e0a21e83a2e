"""The cluster rotation board (S2 二(二)): per quality school the eligible, the number to send, those sent, the
backbone share and the cadres among them with R-C2.a/b's statuses; the month-by-month chart; the Excel export; who
may see it; and a number of queries that does not grow with the teachers."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.organisations.choices import ModelStatus, Role
from junheng.organisations.models import District
from junheng.policy.flow_board import rotation_board
from junheng.policy.models import PolicyEdition

from .test_rules_s2_flow import OCTOBER, Flow, finding

pytestmark = pytest.mark.django_db


def sent_teachers(flow: Flow) -> None:
    """Ten eligible teachers at the quality school; three sent into the weaker schools — a backbone teacher, a
    school leader and a middle manager — and one sent, but not yet filed with the district."""
    teachers = flow.staff(flow.quality, 10)
    teachers[0].backbone_tier, teachers[1].cadre, teachers[2].cadre = "district_leader", "school", "middle"
    for teacher in teachers[:3]:
        teacher.save()
    flow.rotate(teachers[0], flow.weaker, start=date(2024, 9, 1))
    flow.rotate(teachers[1], flow.weaker_primary, start=date(2024, 9, 1))
    flow.rotate(teachers[2], flow.weaker, start=date(2024, 11, 4))
    flow.rotate(teachers[3], flow.weaker, start=date(2024, 10, 8), status="agreed")


def client_of(make_user: Any, role: str, organisation: Any) -> Client:
    client = Client()
    client.force_login(make_user(role, organisation))
    return client


def test_the_board_gives_the_rules_numbers_and_statuses_with_the_cadres_sent() -> None:
    flow = Flow("轮岗看板")
    sent_teachers(flow)
    board = rotation_board(flow.cluster, 2024, date(2024, 11, 20))
    [row] = board.rows
    assert row.school == flow.quality
    assert (row.eligible, row.required, row.sent) == (10, 2, 3)
    assert (row.backbone, row.backbone_required, row.backbone_share) == (1, 1, pytest.approx(1 / 3))
    assert (row.school_leaders, row.middle_managers) == (1, 1)
    quota = finding("R-C2.a", flow.quality, date(2024, 11, 20))
    assert row.quota is not None and row.quota.measured == quota.measured
    assert [s["code"] if s else None for s in row.statuses] == ["pass", "pass"]
    assert board.totals["sent"] == 3 and board.totals["required"] == 2


def test_the_chart_counts_the_years_inflow_month_by_month_up_to_the_day() -> None:
    flow = Flow("轮岗月度")
    sent_teachers(flow)
    board = rotation_board(flow.cluster, 2024, date(2024, 11, 20))
    assert board.months[:3] == ["2024-09", "2024-10", "2024-11"] and board.months[-1] == "2025-08"
    assert board.sent_by_month == [2, 2, 3] + [None] * 9
    assert board.backbone_by_month == [1, 1, 1] + [None] * 9


def test_a_past_year_is_judged_on_its_last_day_and_a_short_quota_fails() -> None:
    flow = Flow("轮岗往年")
    flow.rotate(flow.staff(flow.quality, 10)[0], flow.weaker)
    board = rotation_board(flow.cluster, 2024, date(2026, 3, 1))
    assert board.as_of == date(2025, 8, 31)
    assert [s["code"] if s else None for s in board.rows[0].statuses] == ["fail", "fail"]  # no backbone
    assert board.sent_by_month == [1] * 12


def test_the_board_reads_the_editions_thresholds(municipal: Any) -> None:
    flow = Flow("轮岗阈值")
    sent_teachers(flow)
    share = PolicyEdition.objects.get(code="S2").thresholds.get(key="R-C2.rotation_share")
    share.value = "0.40"
    share.save()
    [row] = rotation_board(flow.cluster, 2024, OCTOBER).rows
    assert row.required == 4
    assert row.quota is not None and row.quota.status == "at_risk"


def test_a_cluster_without_model_status_is_not_judged(make_user: Any) -> None:
    flow = Flow("普通轮岗", status=ModelStatus.NONE)
    sent_teachers(flow)
    assert rotation_board(flow.cluster, 2024, OCTOBER).rows == []
    page = client_of(make_user, Role.DISTRICT_BUREAU, flow.district).get(
        f"/policy/rotation-boards/{flow.cluster.pk}/"
    )
    assert page.status_code == 200 and 'id="not-bound"' in page.content.decode()


def test_who_sees_the_board(make_user: Any) -> None:
    flow = Flow("轮岗权限")
    other = Flow("另一集团")
    sent_teachers(flow)
    url = f"/policy/rotation-boards/{flow.cluster.pk}/"
    allowed = [
        client_of(make_user, Role.CLUSTER_OFFICE, flow.cluster),
        client_of(make_user, Role.DISTRICT_BUREAU, flow.district),
        client_of(make_user, Role.MUNICIPAL, None),
    ]
    for client in allowed:
        page = client.get(url, {"school_year": 2024})
        assert page.status_code == 200
        assert flow.quality.name in page.content.decode()
        assert client.get(f"{url}board.xlsx", {"school_year": 2024}).status_code == 200
    refused = [
        client_of(make_user, Role.CLUSTER_OFFICE, other.cluster),
        client_of(make_user, Role.DISTRICT_BUREAU, District.objects.get(code="310104")),
    ]
    for client in refused:
        assert client.get(url).status_code == 404
        assert client.get(f"{url}board.xlsx").status_code == 404
        listed = client.get("/policy/rotation-boards/").content.decode()
        assert url not in listed
    assert url in allowed[0].get("/policy/rotation-boards/").content.decode()


def test_the_page_draws_the_chart_from_its_own_script_and_links_the_export(make_user: Any) -> None:
    flow = Flow("轮岗图表")
    sent_teachers(flow)
    client = client_of(make_user, Role.DISTRICT_BUREAU, flow.district)
    page = client.get(f"/policy/rotation-boards/{flow.cluster.pk}/", {"school_year": 2024}).content.decode()
    assert '<script src="/static/junheng/rotation-board-chart.js"></script>' in page
    assert "<script>" not in page  # nothing inline: the CSP allows only the platform's files
    data = page.split('<script id="rotation-data" type="application/json">')[1].split("</script>")[0]
    chart = json.loads(data)
    assert chart["required"] == 2 and chart["sent"] == [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    assert f'href="/policy/rotation-boards/{flow.cluster.pk}/board.xlsx?school_year=2024"' in page


def test_the_export_lists_the_board(make_user: Any) -> None:
    flow = Flow("轮岗导出")
    sent_teachers(flow)
    client = client_of(make_user, Role.CLUSTER_OFFICE, flow.cluster)
    response = client.get(f"/policy/rotation-boards/{flow.cluster.pk}/board.xlsx", {"school_year": 2024})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"rotation-board-{flow.cluster.pk}-2024.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    school = next(r for r in rows if r[0] == flow.quality.name)
    assert school[1:9] == (10, 2, 3, 1, "33.3%", 1, 1, 1)
    assert school[9] in ("达标", "pass")  # R-C2.a on 31 August 2025: three sent of two needed
    months = list(book.worksheets[1].iter_rows(values_only=True))
    assert months[1] == ("2024-09", 2, 1) and len(months) == 13


def test_a_year_outside_those_offered_is_a_clear_400(make_user: Any) -> None:
    flow = Flow("轮岗年份")
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.DISTRICT_BUREAU, flow.district))
    url = f"/policy/rotation-boards/{flow.cluster.pk}/"
    assert client.get(url, {"school_year": "1999"}).status_code == 400
    assert client.get(url, {"school_year": "abc"}).status_code == 400


def test_the_cluster_page_and_the_teacher_flow_menu_link_the_board(make_user: Any) -> None:
    flow = Flow("轮岗链接")
    client = client_of(make_user, Role.CLUSTER_OFFICE, flow.cluster)
    page = client.get(flow.cluster.get_absolute_url()).content.decode()
    assert f'href="/policy/rotation-boards/{flow.cluster.pk}/"' in page
    assert 'href="/policy/rotation-boards/"' in page


@pytest.mark.parametrize("teachers", [12, 60])
def test_the_board_reads_in_a_fixed_number_of_queries(
    teachers: int, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    flow = Flow(f"轮岗查询{teachers}")
    second = flow.school("第二优质校", "junior", "quality")
    for school in (flow.quality, second):
        staffed = flow.staff(school, teachers, backbone_tier="district_backbone", cadre="middle")
        for n, teacher in enumerate(staffed[: teachers // 3]):
            flow.rotate(teacher, flow.weaker if n % 2 else flow.weaker_primary)
    client = client_of(make_user, Role.DISTRICT_BUREAU, flow.district)
    url = f"/policy/rotation-boards/{flow.cluster.pk}/"
    with django_assert_max_num_queries(20):  # 18 at either size
        assert client.get(url, {"school_year": 2024}).status_code == 200
    with django_assert_max_num_queries(17):  # 15
        assert client.get(f"{url}board.xlsx", {"school_year": 2024}).status_code == 200
