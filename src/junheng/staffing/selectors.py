"""Reading teacher flow: who is rotation-eligible (R-C1), in bulk, in a number of queries that does not grow with
the number of teachers or schools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from junheng.core.periods import SchoolYear
from junheng.organisations.models import in_force_on

from .models import EligibilityExclusion, Employment, Teacher


@dataclass(frozen=True)
class Eligibility:
    """A school's rotation-eligible teachers in a school year: employed there on 1 September for at least the
    edition's number of continuous years, less those marked not eligible that year (with their reasons)."""

    school_id: int
    school_year: int
    teachers: list[Teacher]
    excluded: list[tuple[Teacher, str]]

    @property
    def count(self) -> int:
        return len(self.teachers)


def eligible_since(school_year: int, years: int) -> date:
    """The latest employment start that makes a teacher eligible in the school year."""
    first_day = SchoolYear(school_year).start
    try:
        return first_day.replace(year=first_day.year - years)
    except ValueError:  # 29 February
        return first_day.replace(year=first_day.year - years, day=28)


def eligibility(school_ids: Iterable[int], school_year: int, years: int) -> dict[int, Eligibility]:
    """Per school, its eligible teachers in the school year (two queries, whatever the number of schools)."""
    ids = list(school_ids)
    first_day = SchoolYear(school_year).start
    employments = (
        Employment.objects.filter(
            in_force_on(first_day), school__in=ids, start_date__lte=eligible_since(school_year, years)
        )
        .select_related("teacher")
        .order_by("school", "teacher__name", "teacher__staff_number")
    )
    reasons = dict(
        EligibilityExclusion.objects.filter(
            school_year=school_year, teacher__in=[e.teacher_id for e in employments]
        ).values_list("teacher", "reason")
    )
    teachers: dict[int, list[Teacher]] = defaultdict(list)
    excluded: dict[int, list[tuple[Teacher, str]]] = defaultdict(list)
    for employment in employments:
        if employment.teacher_id in reasons:
            excluded[employment.school_id].append((employment.teacher, reasons[employment.teacher_id]))
        else:
            teachers[employment.school_id].append(employment.teacher)
    return {pk: Eligibility(pk, school_year, teachers[pk], excluded[pk]) for pk in ids}


def eligibility_rows(found: Eligibility, years_on: date) -> list[dict[str, Any]]:
    """The eligible teachers as the command and the export list them."""
    return [
        {
            "staff_number": t.staff_number,
            "name": t.name,
            "subject": t.subject,
            "backbone_tier": t.get_backbone_tier_display() if t.backbone_tier else "",
            "cadre": t.get_cadre_display() if t.cadre else "",
            "employed_since": t.employed_since.isoformat(),
            "continuous_years": t.continuous_years_on(years_on),
        }
        for t in found.teachers
    ]
