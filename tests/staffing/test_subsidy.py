"""Rural-subsidy months (R-C11): a teacher employed at a school that is not rural, rotating to a rural host, is paid
for each calendar month of the school year served whole there; by the host's district and month, and by teacher,
from `staffing.subsidy` and from `junheng report rural-subsidy`."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.core.periods import SchoolYear
from junheng.organisations.models import District, School
from junheng.staffing.models import Rotation, Teacher
from junheng.staffing.services import employ
from junheng.staffing.subsidy import calendar_months, rural_subsidy

pytestmark = pytest.mark.django_db


def hire(actor: Any, number: str, at: School, since: date) -> Teacher:
    return employ(
        actor=actor, teacher=Teacher(name=f"补贴{number}", staff_number=number), school=at, since=since
    )


def rotate(teacher: Teacher, host: School, start: date, end: date, **extra: Any) -> Rotation:
    values = {"status": "in_progress", "planned_end": end, **extra}
    return Rotation.objects.create(
        teacher=teacher, kind="exchange", from_school=teacher.employer, host=host, start_date=start, **values
    )


@pytest.fixture
def schools() -> dict[str, School]:
    baoshan, jiading = District.objects.get(code="310113"), District.objects.get(code="310114")
    return {
        "urban": School.objects.create(name="补贴城区校", district=baoshan),
        "urban_host": School.objects.create(name="补贴城区流入校", district=baoshan),
        "rural_bs": School.objects.create(name="补贴宝山乡村校", district=baoshan, is_rural=True),
        "rural_jd": School.objects.create(name="补贴嘉定乡村校", district=jiading, is_rural=True),
    }


@pytest.fixture
def city(municipal: Any, schools: dict[str, School]) -> None:
    urban, urban_host, rural_bs, rural_jd = schools.values()
    # S1: the whole year at a rural host: 12 months
    rotate(hire(municipal, "S1", urban, date(2015, 9, 1)), rural_bs, date(2024, 9, 1), date(2027, 8, 31))
    # S2: from 15 September to 31 January, ended early: October to January, 4 (September is not served whole)
    rotate(
        hire(municipal, "S2", urban, date(2015, 9, 1)),
        rural_bs,
        date(2024, 9, 15),
        date(2025, 8, 31),
        actual_end=date(2025, 1, 31),
        end_reason="家庭原因",
        status="ended",
    )
    # S3: employed at a rural school: none
    rotate(hire(municipal, "S3", rural_jd, date(2015, 9, 1)), rural_bs, date(2024, 9, 1), date(2025, 8, 31))
    # S4: to a host that is not rural: none
    rotate(hire(municipal, "S4", urban, date(2015, 9, 1)), urban_host, date(2024, 9, 1), date(2025, 8, 31))
    # S5: only proposed: none
    rotate(
        hire(municipal, "S5", urban, date(2015, 9, 1)),
        rural_jd,
        date(2024, 9, 1),
        date(2025, 8, 31),
        status="proposed",
    )
    # S6: employed at a rural school until January, at the urban school on the rotation's start: March to August, 6
    teacher = hire(municipal, "S6", rural_jd, date(2010, 9, 1))
    employ(actor=municipal, teacher=teacher, school=urban, since=date(2025, 2, 1))
    rotate(teacher, rural_jd, date(2025, 3, 1), date(2026, 2, 28))
    # S7: two rotations back to back: September and October at the first host (serving on 1 October), the
    # rest at the second: 2 + 10
    teacher = hire(municipal, "S7", urban, date(2015, 9, 1))
    rotate(
        teacher,
        rural_bs,
        date(2024, 9, 1),
        date(2025, 8, 31),
        actual_end=date(2024, 10, 15),
        end_reason="调整",
        status="ended",
    )
    rotate(teacher, rural_jd, date(2024, 10, 16), date(2025, 8, 31))
    # S8: a rural rotation ended before the year: none
    rotate(
        hire(municipal, "S8", urban, date(2015, 9, 1)),
        rural_bs,
        date(2023, 9, 1),
        date(2024, 8, 31),
        status="ended",
    )


def months(first: str, last: str) -> list[str]:
    every = [m.strftime("%Y-%m") for m, _ in calendar_months(SchoolYear(2024))]
    return every[every.index(first) : every.index(last) + 1]


def test_the_months_by_teacher_and_by_district_are_as_counted_by_hand(city: None) -> None:
    found = rural_subsidy(2024)
    by_teacher = {(t.staff_number, t.host): (t.employer, t.district, t.months) for t in found.teachers}
    assert by_teacher == {
        ("S1", "补贴宝山乡村校"): ("补贴城区校", "宝山区", months("2024-09", "2025-08")),
        ("S2", "补贴宝山乡村校"): ("补贴城区校", "宝山区", months("2024-10", "2025-01")),
        ("S6", "补贴嘉定乡村校"): ("补贴城区校", "嘉定区", months("2025-03", "2025-08")),
        ("S7", "补贴宝山乡村校"): ("补贴城区校", "宝山区", months("2024-09", "2024-10")),
        ("S7", "补贴嘉定乡村校"): ("补贴城区校", "嘉定区", months("2024-11", "2025-08")),
    }
    cells = {(r.district, r.month): (r.teachers, r.months) for r in found.by_month}
    assert cells[("宝山区", "2024-09")] == (2, 2)  # S1, S7
    assert cells[("宝山区", "2024-10")] == (3, 3)  # S1, S2, S7
    assert cells[("宝山区", "2024-11")] == (2, 2)  # S1, S2
    assert cells[("宝山区", "2025-02")] == (1, 1)  # S1
    assert ("嘉定区", "2024-10") not in cells
    assert cells[("嘉定区", "2024-11")] == (1, 1)  # S7
    assert cells[("嘉定区", "2025-03")] == (2, 2)  # S6, S7
    assert found.total_months == 12 + 4 + 6 + 12 == sum(t.count for t in found.teachers)


def test_months_not_yet_ended_are_not_counted(city: None) -> None:
    found = rural_subsidy(2024, as_of=date(2024, 12, 30))
    counted = {(t.staff_number, t.district): t.count for t in found.teachers}
    assert counted == {("S1", "宝山区"): 3, ("S2", "宝山区"): 2, ("S7", "宝山区"): 2, ("S7", "嘉定区"): 1}


def test_the_subsidy_takes_two_queries(city: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        rural_subsidy(2024)


def test_the_command_writes_the_two_sheets(city: None, tmp_path: Path) -> None:
    out = tmp_path / "subsidy.xlsx"
    call_command("report", "rural-subsidy", "--year", "2024", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    summary, teachers = (list(book[name].iter_rows(values_only=True)) for name in book.sheetnames)
    assert summary[0] == ("区", "月份", "教师人数", "补贴月数")
    assert ("宝山区", "2024-10", 3, 3) in summary
    assert teachers[0][:6] == ("工号", "姓名", "编制学校", "流入学校", "区", "补贴月数")
    assert ("S6", "补贴S6", "补贴城区校", "补贴嘉定乡村校", "嘉定区", 6) in [row[:6] for row in teachers]
    assert sum(row[3] for row in summary[1:]) == sum(row[5] for row in teachers[1:]) == 34


def test_the_command_writes_csv_beside_the_teachers(city: None, tmp_path: Path) -> None:
    out = tmp_path / "subsidy.csv"
    call_command("report", "rural-subsidy", "--year", "2024", "--format", "csv", "--output", str(out))
    summary = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    teachers = list(
        csv.reader((tmp_path / "subsidy-teachers.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert summary[0] == ["区", "月份", "教师人数", "补贴月数"] and ["嘉定区", "2025-03", "2", "2"] in summary
    assert len(teachers) == 1 + 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["rural-subsidy"], "--year"),
        (["rural-subsidy", "3", "--year", "2024"], "不按编号"),
        (["rural-subsidy", "--year", "2024", "--format", "docx"], "xlsx、csv"),
        (["cluster"], "编号"),
        (["cluster", "1", "--format", "csv"], "docx、pdf、xlsx"),
    ],
)
def test_the_command_says_what_is_missing(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", *arguments)


@st.composite
def careers(draw: Any) -> list[list[tuple[int, int, bool, bool]]]:
    """Per teacher, rotations as (days after 1 June 2024 it starts, days it lasts, rural host, counted); each
    begins after the one before ends."""
    teachers = []
    for _ in range(draw(st.integers(1, 4))):
        rotations, day = [], 0
        for _ in range(draw(st.integers(0, 3))):
            day += draw(st.integers(0, 120))
            length = draw(st.integers(0, 300))
            rotations.append((day, length, draw(st.booleans()), draw(st.booleans())))
            day += length + 1
        teachers.append(rotations)
    return teachers


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(careers())
def test_the_total_is_the_sum_over_teachers_and_each_month_is_served_whole(
    municipal: Any, schools: dict[str, School], plan: list[list[tuple[int, int, bool, bool]]]
) -> None:
    origin = date(2024, 6, 1)
    year = SchoolYear(2024)
    with transaction.atomic():
        expected: dict[str, int] = {}
        for number, rotations in enumerate(plan):
            teacher = hire(municipal, f"P{number}", schools["urban"], date(2015, 9, 1))
            served = set()
            for offset, length, rural, counted in rotations:
                start = origin + timedelta(days=offset)
                end = start + timedelta(days=length)
                host = schools["rural_bs"] if rural else schools["urban_host"]
                rotate(teacher, host, start, end, status="in_progress" if counted else "proposed")
                if rural and counted:
                    served |= {start + timedelta(days=d) for d in range(length + 1)}
            expected[teacher.staff_number] = sum(
                all(first + timedelta(days=d) in served for d in range((last - first).days + 1))
                for first, last in calendar_months(year)
            )
        found = rural_subsidy(2024)
        by_teacher: dict[str, int] = {}
        for row in found.teachers:
            by_teacher[row.staff_number] = by_teacher.get(row.staff_number, 0) + row.count
        assert found.total_months == sum(by_teacher.values())
        assert by_teacher == {k: v for k, v in expected.items() if v}
        assert all(row.teachers == row.months for row in found.by_month)
        transaction.set_rollback(True)
