"""Reminders (R-F4): what is due or overdue in a user's scope — interactions this month, summaries this half-year,
evaluations within the warning horizon. They are read from the findings that stand (selectors.current_findings:
the latest run covering each district, a district's own or the city's), which `junheng compliance_schedule`
refreshes daily and imports refresh for their districts, so the home page never recomputes the city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
}


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
        .filter(rule__in=list(REMINDER_RULES), status__in=("at_risk", "fail"))
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


def digest_lines(items: list[Reminder]) -> list[str]:
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
    ]
