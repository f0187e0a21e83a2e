"""Reminders (R-F4): what is due or overdue in a user's scope — interactions this month, summaries this half-year,
evaluations within the warning horizon, teacher flow's quotas, appraisals, duties on return and staffing plans.
They are read from the findings that stand (selectors.current_findings: the latest run covering each district, a
district's own or the city's), which `junheng compliance_schedule` refreshes daily and imports refresh for their
districts, so the home page never recomputes the city. Rotations ending soon are no finding: they are read from
the rotations the user sees (rotations_ending)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from junheng.staffing.choices import RotationStatus
from junheng.staffing.models import Rotation

from .models import Finding, FindingStatus
from .selectors import current_findings

# The rules that carry a deadline or a pace, and what the reminder asks for.
REMINDER_RULES = {
    "R-B3": _("Resident team short of staff or managers"),
    "R-B4": _("On-site interaction this month"),
    "R-B5": _("Baseline assessment"),
    "R-B6": _("Expert review of the three-year plan"),
    "R-B7.a": _("Summary activity this half-year"),
    "R-B7.b": _("Site meeting this year"),
    "R-B8.a": _("Mid-term evaluation"),
    "R-B8.b": _("Performance evaluation"),
    "R-C2.a": _("Teachers sent into weaker schools this school year"),
    "R-C2.b": _("Backbone teachers among those sent this school year"),
    "R-C6": _("Receiving school's appraisal of inflow teachers"),
    "R-C7": _("Duty for teachers back from development"),
    "R-C8": _("Staffing plan filed with the district"),
    "R-D5": _("Joint research in every subject this semester"),
    "R-D7": _("New teachers' probation at the lead or teacher-development school"),
    "R-D1.a": _("A shared course from every member school this semester"),
    "R-D1.b": _("Enough shareable courses in the cluster this semester"),
}

# Yearly requirements that stand at risk from the school year's first day until met: early in the year that says
# only that the year is young, so they are reminded of from this day of the school year (month, day) as of the
# finding's check; their failures always.
AT_RISK_FROM = {
    "R-C2.a": (3, 1),
    "R-C2.b": (3, 1),
}

# Rotations filed or in progress that end (actual end, else planned end) within this many days of the day.
ENDING_WITHIN = 60
ENDING_STATUSES = (RotationStatus.FILED, RotationStatus.IN_PROGRESS)


def from_day_of_school_year(month: int, day: int, field: str = "run__as_of") -> Q:
    """Dates from (month, day) to the end of their school year, 31 August."""
    later = range(month + 1, 9) if month < 9 else [*range(month + 1, 13), *range(1, 9)]
    return Q(**{f"{field}__month__in": list(later)}) | Q(
        **{f"{field}__month": month, f"{field}__day__gte": day}
    )


# Semester requirements reminded of while at risk only from the semester's middle: before, the semester is young.
AT_RISK_FROM_MID_SEMESTER = ("R-D1.a", "R-D1.b")


# The second half of each semester (core.periods: 1 September–31 January, 1 February–31 August), as its middle
# day (month, day) and the months after it to the semester's end.
SECOND_HALVES = (((11, 16), (12, 1)), ((5, 17), (6, 7, 8)))


def from_mid_semester(field: str = "run__as_of") -> Q:
    """Dates from the middle of their semester to its end."""
    parts = Q()
    for (month, day), later in SECOND_HALVES:
        parts |= Q(**{f"{field}__month__in": list(later)})
        parts |= Q(**{f"{field}__month": month, f"{field}__day__gte": day})
    return parts


def reminded() -> Q:
    """The findings the reminders list: at risk or failing on a rule of REMINDER_RULES, at risk only from the day
    AT_RISK_FROM names or, for AT_RISK_FROM_MID_SEMESTER, from the semester's middle."""
    shown = Q(rule__in=list(REMINDER_RULES), status__in=(FindingStatus.AT_RISK, FindingStatus.FAIL))
    for rule, (month, day) in AT_RISK_FROM.items():
        shown &= ~Q(rule=rule, status=FindingStatus.AT_RISK) | from_day_of_school_year(month, day)
    early = Q(rule__in=AT_RISK_FROM_MID_SEMESTER, status=FindingStatus.AT_RISK)
    return shown & (~early | from_mid_semester())


@dataclass(frozen=True)
class Reminder:
    finding: Finding
    task: Any  # a lazily translated text
    overdue: bool
    as_of: date


def reminders_for(user: Any, limit: int = 50) -> list[Reminder]:
    """At-risk items first (still time to act), then overdue ones, within the user's scope."""
    findings = (
        current_findings(user)
        .filter(reminded())
        .select_related("run")
        .order_by("status", "rule", "subject_name")[:limit]  # "at_risk" sorts before "fail"
    )
    return [
        Reminder(
            finding=f,
            task=REMINDER_RULES[f.rule],
            overdue=f.status == FindingStatus.FAIL,
            as_of=f.run.as_of,
        )
        for f in findings
    ]


def rotations_ending(user: Any, as_of: date, limit: int = 50) -> list[Rotation]:
    """The rotations the user sees (a school its teachers' and those it hosts, a cluster office its members', a
    bureau its district's, a teacher its own) filed or in progress and ending from the day to ENDING_WITHIN days
    on, soonest first: one query, whatever their number."""
    return list(
        Rotation.objects.restrict(user)
        .filter(status__in=ENDING_STATUSES)
        .alias(ends=Coalesce("actual_end", "planned_end"))
        .filter(ends__range=(as_of, as_of + timedelta(days=ENDING_WITHIN)))
        .select_related("teacher", "from_school", "host")
        .order_by("ends", "teacher__name", "pk")[:limit]
    )


def digest_lines(items: Sequence[Reminder], ending: Sequence[Rotation] = ()) -> list[str]:
    """One line per item, as the daily digest prints and mails it."""
    return [
        gettext("[%(state)s] %(task)s · %(subject)s (as of %(date)s)")
        % {
            "state": gettext("Overdue") if item.overdue else gettext("Due soon"),
            "task": item.task,
            "subject": item.finding.subject_name,
            "date": item.as_of,
        }
        for item in items
    ] + [
        gettext("[Ending soon] Rotation of %(teacher)s, %(from)s → %(host)s, ends %(date)s")
        % {
            "teacher": f"{rotation.teacher.name}（{rotation.teacher.staff_number}）",
            "from": rotation.from_school,
            "host": rotation.host,
            "date": rotation.end,
        }
        for rotation in ending
    ]
