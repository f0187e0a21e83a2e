"""A pairing's work in date order: every dated step of every record the user may see, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.resources import REGISTRY

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


def pairing_timeline(user: Any, pairing: Any) -> list[TimelineEntry]:
    """One query per kind of record, whatever the number of records."""
    entries = []
    for name in dict.fromkeys(name for name, _field, _event in EVENTS):
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
