"""A pairing's work in date order: every dated step of every record the user may see, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.editions import threshold_number
from junheng.core.resources import REGISTRY

from .choices import PairingKind
from .models import InteractionKind

# (resource, date field, what happened on that date)
EVENTS: tuple[tuple[str, str, Any], ...] = (
    ("residents", "start_date", _("Resident staff arrived")),
    ("residents", "end_date", _("Resident staff left")),
    ("interactions", "date", _("Interaction")),
    ("baselines", "assessed_on", _("Baseline assessed")),
    ("plans", "submitted_on", _("Plan submitted")),
    ("plans", "approved_on", _("Plan approved")),
    ("plans", "runs_from", _("Plan runs")),
    ("evaluations", "completed_on", _("Evaluation completed")),
    ("experts", "start_date", _("Expert engaged")),
    ("subject-dockings", "started_on", _("Subject docking started")),
    ("service-records", "start_date", _("Supporting teacher's service began")),
    ("development-records", "start_date", _("Teacher development began")),
    ("spending", "date", _("Spending")),
    ("cases", "published_on", _("Case published")),
)


# the date a resource's rows are listed by, latest first: its first dated step
DATE_OF = {name: field for name, field, _event in reversed(EVENTS)}


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    event: str
    record: Any

    def get_absolute_url(self) -> str:
        return str(self.record.get_absolute_url())


class TimelineTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("date"))
    event = tables.Column(verbose_name=_("event"))
    record = tables.Column(verbose_name=_("record"), linkify=lambda record: record.get_absolute_url())


def pairing_timeline(user: Any, pairing: Any, leave_out: tuple[str, ...] = ()) -> list[TimelineEntry]:
    """One query per kind of record, whatever the number of records."""
    entries = []
    for name in dict.fromkeys(name for name, _field, _event in EVENTS if name not in leave_out):
        events = [(field, event) for resource, field, event in EVENTS if resource == name]
        for record in REGISTRY[name].scoped(user).filter(pairing=pairing):
            entries += _entries(record, events)
    return sorted(entries, key=lambda entry: entry.date, reverse=True)


def _entries(record: Any, events: Iterable[tuple[str, Any]]) -> list[TimelineEntry]:
    return [
        TimelineEntry(getattr(record, field), str(event), record)
        for field, event in events
        if getattr(record, field) is not None
    ]


def interactions_by_month(user: Any, pairing: Any) -> dict[str, Any]:
    """The pairing's interactions per calendar month of its round (up to today), on-site and online, with the
    on-site interactions a month the plan asks of a mutual-growth project (R-B4) from the edition in force."""
    start, end = pairing.round.start_date, min(pairing.round.end_date, date.today())
    months = []
    month = date(start.year, start.month, 1)
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    counts = {kind: dict.fromkeys(months, 0) for kind in InteractionKind.values}
    rows = REGISTRY["interactions"].scoped(user).filter(pairing=pairing, date__range=(start, end))
    for row in rows.values("date", "kind"):
        counts[row["kind"]][f"{row['date']:%Y-%m}"] += 1
    required = None
    if pairing.kind == PairingKind.MUTUAL_GROWTH:
        required = threshold_number(start, "R-B4.on_site_per_month")
    return {
        "months": months,
        "series": [
            {"label": str(label), "data": list(counts[kind].values())}
            for kind, label in InteractionKind.choices
        ],
        "required": required,
        "required_label": str(_("On-site interactions a month required")),
    }
