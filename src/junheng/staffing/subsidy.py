"""Rural-subsidy months (R-C11): a teacher employed (编制) at a school that is not rural, rotating to a rural host,
accrues a subsidy month for each calendar month of the school year served there.

A month counts only when served whole: every day of the calendar month, from its first to its last, lies in a
counted rotation (COUNTED_STATUSES) of the teacher to a rural host, and the month has ended by the as-of date. A
rotation that starts on 15 September leaves September out; one from 1 September to 31 August gives 12 months, as
`full_months` counts them. Back-to-back qualifying rotations cover a month together; the month goes to the host
of the rotation served on its first day. The employer is the school of the teacher's employment in force on the
rotation's start date (the rotation's sending school when no employment covers that day).

Two queries, whatever the number of teachers, rotations or districts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import Coalesce

from junheng.core.periods import SchoolYear
from junheng.organisations.models import School

from .models import Employment, Rotation
from .selectors import COUNTED_STATUSES

NO_DISTRICT = "—"


@dataclass(frozen=True)
class SubsidyTeacher:
    """One teacher's subsidy months at one rural host in the school year."""

    staff_number: str
    name: str
    employer: str
    host: str
    district: str
    months: list[str]  # YYYY-MM, in order

    @property
    def count(self) -> int:
        return len(self.months)


@dataclass(frozen=True)
class SubsidyMonth:
    """A district's (the host's) subsidy in one month: the teachers paid and their months (one each)."""

    district: str
    district_code: str
    month: str  # YYYY-MM
    teachers: int
    months: int


@dataclass(frozen=True)
class RuralSubsidy:
    school_year: SchoolYear
    as_of: date
    by_month: list[SubsidyMonth]
    teachers: list[SubsidyTeacher]

    @property
    def total_months(self) -> int:
        return sum(row.months for row in self.by_month)


def calendar_months(year: SchoolYear) -> list[tuple[date, date]]:
    """(first day, last day) of each calendar month of the school year, September to August."""
    months = []
    first = year.start
    while first <= year.end:
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        months.append((first, following - timedelta(days=1)))
        first = following
    return months


def _covered(spans: list[tuple[date, date]], first: date, last: date) -> bool:
    """Whether the spans (sorted by start, not overlapping) cover every day from first to last."""
    day = first
    for start, end in spans:
        if start > day:
            break
        if end >= day:
            day = end + timedelta(days=1)
            if day > last:
                return True
    return day > last


def rural_subsidy(school_year: int, as_of: date | None = None) -> RuralSubsidy:
    """The school year's subsidy months by the host's district and month, and by teacher and host; months not
    yet ended on `as_of` (default: no limit) are not yet served."""
    year = SchoolYear(school_year)
    as_of = as_of or year.end
    rotations = list(
        Rotation.objects.filter(status__in=COUNTED_STATUSES, host__is_rural=True, start_date__lte=year.end)
        .alias(ends=Coalesce("actual_end", "planned_end"))
        .filter(ends__gte=year.start)
        .select_related("teacher", "host__district", "from_school")
        .order_by("teacher", "start_date", "pk")
    )
    employer = _employers_on_start(rotations)
    qualifying = [r for r in rotations if not employer[r.pk].is_rural]

    by_teacher: dict[int, list[Rotation]] = defaultdict(list)
    for rotation in qualifying:
        by_teacher[rotation.teacher_id].append(rotation)
    months_of: dict[int, list[str]] = defaultdict(list)  # rotation -> the months it is paid for
    for rotations_of_teacher in by_teacher.values():
        spans = [(r.start_date, r.end) for r in rotations_of_teacher]
        for first, last in calendar_months(year):
            if last > as_of or not _covered(spans, first, last):
                continue
            serving = next(r for r in rotations_of_teacher if r.start_date <= first <= r.end)
            months_of[serving.pk].append(first.strftime("%Y-%m"))

    teachers = [
        SubsidyTeacher(
            staff_number=r.teacher.staff_number,
            name=r.teacher.name,
            employer=employer[r.pk].name,
            host=r.host.name,
            district=_district_name(r.host),
            months=months_of[r.pk],
        )
        for r in qualifying
        if months_of[r.pk]
    ]
    teachers.sort(key=lambda t: (t.district, t.host, t.staff_number))

    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in qualifying:
        for month in months_of[r.pk]:
            cells[(r.host.district.code if r.host.district else "", _district_name(r.host), month)].add(
                r.teacher.staff_number
            )
    by_month = [
        SubsidyMonth(district=name, district_code=code, month=month, teachers=len(paid), months=len(paid))
        for (code, name, month), paid in sorted(cells.items())
    ]
    return RuralSubsidy(year, as_of, by_month, teachers)


def _district_name(school: School) -> str:
    return school.district.name if school.district else NO_DISTRICT


def _employers_on_start(rotations: list[Rotation]) -> dict[int, School]:
    """Each rotation's teacher's employer on the rotation's start date (two queries)."""
    if not rotations:
        return {}
    teachers = {r.teacher_id for r in rotations}
    first = min(r.start_date for r in rotations)
    employments = (
        Employment.objects.filter(teacher__in=teachers, start_date__lte=max(r.start_date for r in rotations))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("school")
    )
    periods: dict[int, list[Employment]] = defaultdict(list)
    for employment in employments:
        periods[employment.teacher_id].append(employment)
    found = {}
    for rotation in rotations:
        found[rotation.pk] = next(
            (
                e.school
                for e in periods[rotation.teacher_id]
                if e.start_date <= rotation.start_date
                and (e.end_date is None or e.end_date >= rotation.start_date)
            ),
            rotation.from_school,
        )
    return found


SUMMARY_COLUMNS: list[object] = ["区", "月份", "教师人数", "补贴月数"]
TEACHER_COLUMNS: list[object] = ["工号", "姓名", "编制学校", "流入学校", "区", "补贴月数", "月份"]


def summary_rows(found: RuralSubsidy) -> list[list[object]]:
    return [SUMMARY_COLUMNS] + [[r.district, r.month, r.teachers, r.months] for r in found.by_month]


def teacher_rows(found: RuralSubsidy) -> list[list[object]]:
    return [TEACHER_COLUMNS] + [
        [t.staff_number, t.name, t.employer, t.host, t.district, t.count, "、".join(t.months)]
        for t in found.teachers
    ]
