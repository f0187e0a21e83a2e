"""Reminders (R-F4): what is due or overdue in a user's scope — interactions this month, summaries this half-year,
evaluations within the warning horizon. They are read from the latest city-wide run of each edition, which the
daily `junheng reminders` command refreshes, so the home page never recomputes the city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ComplianceRun, Finding, FindingStatus

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


def latest_runs() -> list[ComplianceRun]:
    latest = ComplianceRun.objects.filter(district__isnull=True).values("edition").annotate(last=Max("pk"))
    return list(
        ComplianceRun.objects.filter(pk__in=[row["last"] for row in latest]).select_related("edition")
    )


def reminders_for(user: Any, limit: int = 50) -> list[Reminder]:
    """At-risk items first (still time to act), then overdue ones, within the user's scope."""
    runs = {run.pk: run for run in latest_runs()}
    findings = (
        Finding.objects.restrict(user)
        .filter(run__in=list(runs), rule__in=list(REMINDER_RULES), status__in=("at_risk", "fail"))
        .order_by("status", "rule", "subject_name")[:limit]  # "at_risk" sorts before "fail"
    )
    return [
        Reminder(
            finding=f,
            task=REMINDER_RULES[f.rule],
            overdue=f.status == FindingStatus.FAIL,
            as_of=runs[f.run_id].as_of,
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
