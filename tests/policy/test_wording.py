"""Findings read as Chinese: every measured value a labelled line with its unit and a sensible rounding, every
threshold as “不少于 3 人”; the finding page, the API and the board show them, never the keys behind them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from junheng.core.models import ApiToken
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.policy.rules.wording import measured_lines, threshold_lines


@pytest.fixture(autouse=True)
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def limit(value: float | None, comparator: str = "gte", unit: str = "") -> dict[str, Any]:
    return {"key": "k", "value": value, "comparator": comparator, "unit": unit}


def test_counts_and_dates_read_with_their_units() -> None:
    measured = {"resident_staff": 2, "resident_managers": 0, "date": "2022-07-15"}
    assert measured_lines("R-B3", measured) == [
        "驻校人员：2 人",
        "其中管理人员：0 人",
        "检查日期：2022-07-15",
    ]


def test_averages_are_rounded_and_nothing_reads_as_a_dash() -> None:
    measured = {"on_site": 7, "months_closed": 3, "average_per_month": 2.3333333333333335, "this_month": 0}
    assert measured_lines("R-B4", measured) == [
        "本轮至今现场互动交流：7 次",
        "已满月数：3 个月",
        "月平均：2.33 次/月",
        "本月至今：0 次",
    ]
    assert measured_lines("R-B4", {"average_per_month": None})[0] == "月平均：—"
    assert measured_lines("R-B5", {"baseline_on": None, "plan_submitted_on": "2021-03-01"}) == [
        "初态评估日期：—",
        "规划提交日期：2021-03-01",
    ]


def test_a_status_reads_as_its_label_and_a_list_joined() -> None:
    assert measured_lines("R-B6", {"plan_status": "under_review"})[0] == "规划状态：专家论证中"
    assert measured_lines("R-B7.a", {"periods_short": ["2021-01～2021-06", "2021-07～2021-12"]}) == [
        "未达标的周期：2021-01～2021-06、2021-07～2021-12"
    ]
    assert measured_lines("R-B7.a", {"periods_short": []}) == ["未达标的周期：—"]


def test_shares_read_as_percentages_per_stage_and_subject() -> None:
    measured = {
        "year": 2024,
        "results": {"primary 数学": {"pass_share": 0.7963636363636364, "district_pass_share": 0.75}},
        "short": ["小学数学"],
    }
    assert measured_lines("R-E3.a", measured) == [
        "监测年度：2024",
        "各学段学科结果：",
        "　小学数学：合格及以上比例 79.6%，区平均 75.0%",
        "未达标：小学数学",
    ]
    assert measured_lines("R-E3.c", {"results": {"junior 语文": True}})[1] == "　初中语文：是"
    assert measured_lines("R-E3.b", {"results": {"junior 语文": 0.123456}})[1] == "　初中语文：0.123"


def test_resource_spreads_name_their_indicator() -> None:
    lines = measured_lines(
        "R-E2.a", {"spreads": {"primary sports_area": 0.51234}, "over": ["primary sports_area"]}
    )
    assert lines == [
        "各学段指标校际差异系数：",
        "　小学生均体育运动场馆面积（平方米）：0.512",
        "超过限值：小学生均体育运动场馆面积（平方米）",
    ]


def test_thresholds_read_as_chinese_limits() -> None:
    assert threshold_lines("R-B3", {"R-B3.resident_staff": limit(3.0, unit="人")}) == [
        "驻校人员：不少于 3 人"
    ]
    assert threshold_lines("R-B8.a", {"R-B8.mid_term_month": limit(18.0, "lte", "月")}) == [
        "中期评估（自本轮开始）：不超过 18 个月"
    ]
    assert threshold_lines("R-E3.b", {"R-E3.between_school_difference": limit(0.15, "lt")}) == [
        "校际差异率：低于 0.15"
    ]
    assert threshold_lines("R-E1", {"R-E1.cluster_share_of_appraisal": limit(0.5)}) == [
        "学区集团工作在校长考评中的占比：不低于 50%"
    ]
    # a requirement without a number reads as the requirement
    assert threshold_lines("R-B6", {"R-B6.reviewed_before_running": limit(None)}) == [
        "三年规划经专家论证通过后实施"
    ]


def test_a_key_no_rule_declares_still_reads() -> None:
    assert measured_lines("R-X", {"done": True, "share": 0.1234}) == ["done：是", "share：0.12"]


@pytest.mark.django_db
def test_the_finding_page_the_api_and_the_board_show_words_not_keys(municipal: Any) -> None:
    run, _found = compliance_run(
        actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 7, 15)
    )
    finding = run.findings.filter(rule="R-B3").first()
    client = Client()
    client.force_login(municipal)
    page = client.get(f"/policy/findings/{finding.pk}/").content.decode()
    assert "驻校人员：0 人" in page and "驻校人员：不少于 3 人" in page
    assert "resident_staff" not in page and "None" not in page
    board = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert '<th title="R-B3">精准委托管理常驻团队不少于3人，其中管理人员不少于1人</th>' in board
    api = Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(municipal)}"})
    item = api.get("/api/v1/findings/", {"run": run.pk, "rule": "R-B3", "limit": 1}).json()["items"][0]
    assert item["measured"]["resident_staff"] == 0  # the keys stay for programs
    assert item["measured_text"][0] == "驻校人员：0 人"
    assert item["threshold_text"] == ["驻校人员：不少于 3 人", "其中管理人员：不少于 1 人"]
