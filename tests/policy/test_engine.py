"""The engine: same inputs give the same findings, runs are kept, the query count does not grow with the number
of pairings, and the command writes JSON and Excel. Date helpers get property tests."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from junheng.organisations.models import District, School
from junheng.policy.engine import compliance_run, evaluate
from junheng.policy.models import ComplianceRun, Finding, PolicyEdition
from junheng.policy.rules import ThresholdValue, add_months, calendar_periods, count_per_period_status
from junheng.programmes.models import Interaction, Pairing, ResidentAssignment

AS_OF = date(2022, 7, 15)


@pytest.mark.django_db
def test_same_inputs_same_findings_and_runs_are_kept() -> None:
    edition = PolicyEdition.objects.get(code="S1")
    first = [f.as_dict() for f in evaluate(edition, AS_OF)]
    assert first == [f.as_dict() for f in evaluate(edition, AS_OF)]
    run, findings = compliance_run(actor=None, edition=edition, as_of=AS_OF)
    assert Finding.objects.filter(run=run).count() == len(findings) == len(first)
    rules = {f["rule"] for f in first}
    assert rules == {"R-B3", "R-B4", "R-B5", "R-B6", "R-B7.a", "R-B7.b", "R-B8.a", "R-B8.b"}
    # 38 entrusted pairings for R-B3, 28 mutual-growth for R-B4, all 66 for the rest.
    assert sum(f["rule"] == "R-B3" for f in first) == 38
    assert sum(f["rule"] == "R-B4" for f in first) == 28
    assert sum(f["rule"] == "R-B8.a" for f in first) == 66
    assert all("S1" in f["message"] for f in first)


@pytest.mark.django_db
def test_the_s2_edition_holds_the_model_cluster_thresholds() -> None:
    s2 = {t.key: t for t in PolicyEdition.objects.get(code="S2").thresholds.all()}
    assert float(s2["R-C2.rotation_share"].value) == 0.20
    assert float(s2["R-C2.backbone_share"].value) == 0.30
    assert float(s2["R-D5.joint_research_per_subject"].value) == 5
    assert (
        float(s2["R-E3.between_school_difference"].value),
        s2["R-E3.between_school_difference"].comparator,
    ) == (0.15, "lt")
    assert "0.15" in s2["R-E3.between_school_difference"].clause


@pytest.mark.django_db
def test_a_district_run_covers_that_district_only() -> None:
    baoshan = District.objects.get(code="310113")
    findings = evaluate(PolicyEdition.objects.get(code="S1"), AS_OF, baoshan)
    assert findings and {f.district_id for f in findings} == {baoshan.pk}


@pytest.mark.django_db
def test_query_count_does_not_grow_with_pairings() -> None:
    edition = PolicyEdition.objects.get(code="S1")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            evaluate(edition, AS_OF)
        return len(captured)

    before = queries()
    programme_round = Pairing.objects.first().round
    schools = list(School.objects.filter(is_demo=True)[:40])
    for number, (supported, supporting) in enumerate(
        zip(schools[::2], schools[1::2], strict=True), start=100
    ):
        pairing = Pairing.objects.create(
            round=programme_round,
            kind="entrusted",
            sequence=number,
            supported_school=supported,
            supporting_school=supporting,
        )
        ResidentAssignment.objects.create(pairing=pairing, person_name="甲", role="manager", start_date=AS_OF)
        Interaction.objects.create(pairing=pairing, date=AS_OF, kind="on_site")
    assert queries() == before


@pytest.mark.django_db
def test_command_writes_json_and_excel(tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    call_command(
        "compliance", "--edition", "S1", "--as-of", "2022-07-15", "--district", "310113", "-o", str(out)
    )
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["edition"] == "S1" and body["as_of"] == "2022-07-15"
    first = body["findings"][0]
    assert set(first) == {
        "rule",
        "subject",
        "status",
        "measured",
        "threshold",
        "measured_text",
        "threshold_text",
        "clause",
        "message",
    }
    assert first["clause"].startswith("S1 ")
    assert first["status"] in {"pass", "fail", "at_risk", "not_due", "no_data"}
    xlsx = tmp_path / "findings.xlsx"
    call_command(
        "compliance", "--edition", "S1", "--as-of", "2022-07-15", "--format", "xlsx", "-o", str(xlsx)
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("规则", "对象类型", "对象", "状态")
    resident_team = next(row for row in rows if row[0] == "R-B3")
    assert (
        resident_team[4].startswith("驻校人员：")
        and resident_team[5] == "驻校人员：不少于 3 人\n其中管理人员：不少于 1 人"
    )
    assert ComplianceRun.objects.count() == 2
    with pytest.raises(CommandError, match="没有代码为 S9"):
        call_command("compliance", "--edition", "S9")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 1, 1)),
    st.integers(0, 2000),
    st.sampled_from([6, 12]),
)
def test_calendar_periods_tile_the_range(start: date, length: int, months: int) -> None:
    end = start + timedelta(days=length)
    periods = calendar_periods(start, end, months)
    assert periods[0].start <= start and periods[-1].end >= end
    for earlier, later in itertools.pairwise(periods):
        assert later.start == earlier.end + timedelta(days=1)


ONE = ThresholdValue("k", Decimal(1), "gte", "", "", "")


@given(
    st.lists(st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31)), max_size=12),
    st.dates(min_value=date(2021, 1, 1), max_value=date(2024, 6, 30)),
    st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31)),
)
def test_one_more_event_never_makes_a_period_rule_worse(dates: list[date], as_of: date, extra: date) -> None:
    order = {"fail": 0, "at_risk": 1, "not_due": 2, "pass": 3}
    periods = [p for p in calendar_periods(date(2021, 1, 1), date(2023, 12, 31), 6) if p.start <= as_of]
    before, _ = count_per_period_status(periods, dates, ONE, as_of)
    after, _ = count_per_period_status(periods, [*dates, extra], ONE, as_of)
    assert order[after] >= order[before]
