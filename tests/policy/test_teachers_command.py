"""`junheng teachers eligible`: a school's rotation-eligible teachers on 1 September with the edition's years (R-C1),
at the boundary of the years, less an exclusion; the school found by its name, and told apart by its district."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from junheng.organisations.models import District, School
from junheng.policy.models import Threshold
from junheng.staffing.models import EligibilityExclusion, Teacher
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db


def hire(actor: Any, number: str, at: School, since: date) -> Teacher:
    return employ(
        actor=actor,
        teacher=Teacher(name=f"资格{number}", staff_number=number, subject="数学"),
        school=at,
        since=since,
    )


@pytest.fixture
def school(municipal: Any) -> School:
    at = School.objects.create(name="命令资格校", district=District.objects.get(code="310113"))
    hire(municipal, "C1", at, date(2018, 9, 1))  # exactly 6 years on 2024-09-01
    hire(municipal, "C2", at, date(2018, 9, 2))  # a day short
    excluded = hire(municipal, "C3", at, date(2010, 3, 1))
    hire(municipal, "C4", at, date(2012, 9, 1))
    EligibilityExclusion.objects.create(teacher=excluded, school_year=2024, reason="借调区教育局")
    return at


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("teachers", "eligible", *arguments, stdout=out)
    return out.getvalue()


def test_six_years_on_the_first_of_september_count_a_day_short_does_not_and_an_exclusion_removes(
    school: School,
) -> None:
    rows = json.loads(run("--school", "命令资格校", "--year", "2024", "--format", "json"))
    assert [r["staff_number"] for r in rows] == ["C1", "C4"]  # by name: 资格C1, 资格C4
    first = rows[0]
    assert first["continuous_years"] == 6 and first["employed_since"] == "2018-09-01"
    assert first["school"] == "命令资格校" and first["district"] == "宝山区"
    assert first["years_required"] == 6 and first["edition"] == "S2" and first["school_year"] == "2024-2025"
    # the next year the day short has its six years, and the exclusion was for 2024 only
    rows = json.loads(run("--school", "命令资格校", "--year", "2025"))
    assert [r["staff_number"] for r in rows] == ["C1", "C2", "C3", "C4"]


def test_csv_has_a_header_row(school: School, tmp_path: Path) -> None:
    lines = list(csv.reader(run("--school", "命令资格校", "--year", "2024", "--format", "csv").splitlines()))
    assert lines[0][:7] == [
        "staff_number",
        "name",
        "subject",
        "backbone_tier",
        "cadre",
        "employed_since",
        "continuous_years",
    ]
    assert [line[0] for line in lines[1:]] == ["C1", "C4"]
    out = tmp_path / "eligible.csv"
    run("--school", "命令资格校", "--year", "2024", "--format", "csv", "--output", str(out))
    assert (
        out.read_text(encoding="utf-8-sig").splitlines()
        == run("--school", "命令资格校", "--year", "2024", "--format", "csv").splitlines()
    )


def test_the_edition_s_threshold_as_the_commission_edited_it(school: School) -> None:
    Threshold.objects.filter(edition__code="S2", key="R-C1.rotation_eligible_years").update(value=5)
    rows = json.loads(run("--school", "命令资格校", "--year", "2024", "--edition", "S2"))
    assert [r["staff_number"] for r in rows] == ["C1", "C2", "C4"]
    assert rows[0]["years_required"] == 5
    with pytest.raises(CommandError, match=r"S1 没有阈值 R-C1\.rotation_eligible_years"):
        run("--school", "命令资格校", "--year", "2024", "--edition", "S1")
    with pytest.raises(CommandError, match="没有代码为 S9 的政策版本"):
        run("--school", "命令资格校", "--year", "2024", "--edition", "S9")


def test_a_name_in_two_districts_needs_the_district(school: School, municipal: Any) -> None:
    twin = School.objects.create(name="命令资格校", district=District.objects.get(code="310114"))
    hire(municipal, "C9", twin, date(2000, 9, 1))
    with pytest.raises(CommandError, match="有 2 所学校名为“命令资格校”（宝山区、嘉定区）：请用 --district"):
        run("--school", "命令资格校", "--year", "2024")
    assert [
        r["staff_number"]
        for r in json.loads(run("--school", "命令资格校", "--year", "2024", "--district", "嘉定区"))
    ] == ["C9"]
    assert len(json.loads(run("--school", "命令资格校", "--year", "2024", "--district", "310113"))) == 2


def test_no_school_of_the_name_says_so_with_similar_names(school: School) -> None:
    with pytest.raises(CommandError, match="没有名为“资格校”的学校。名称相近的有：命令资格校"):
        run("--school", "资格校", "--year", "2024")
    with pytest.raises(CommandError, match="嘉定区没有名为“命令资格校”的学校"):
        run("--school", "命令资格校", "--year", "2024", "--district", "嘉定区")
