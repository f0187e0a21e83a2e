"""Reading the audit trail: who changed what, when, with the values before and after; and what was deleted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryRow:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[Change]
    record: Any = None


def list_display(field: models.Field[Any, Any], value: list[Any]) -> str:
    """A list stored in one field (a rotation's duties) as pages show it: each item by its name from the model's
    LIST_CHOICES, separated by 、; an empty list as —."""
    labels = dict(getattr(field.model, "LIST_CHOICES", {}).get(field.name, ()))
    return "、".join(str(labels.get(item, item)) for item in value) or "—"


def _display(field: models.Field[Any, Any], value: Any, names: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return list_display(field, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _related_names(model: type[models.Model], records: list[Any]) -> dict[tuple[Any, Any], str]:
    """Names of every object a foreign key in these records points to, one query per related model."""
    names: dict[tuple[Any, Any], str] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            ids = {getattr(r, field.attname) for r in records} - {None}
            related = field.related_model
            for obj in related._default_manager.filter(pk__in=ids):  # type: ignore[union-attr]  # a relation's model, typed as Model | str
                names[(related, obj.pk)] = str(obj)
    return names


def change_rows(obj: models.Model) -> list[HistoryRow]:
    """Newest first; each row lists the fields that changed, before → after. Results that a command computes and
    replaces as a whole keep no history of their own."""
    if not hasattr(obj, "history"):
        return []
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    model = type(obj)
    names = _related_names(model, records)
    fields = [f for f in model._meta.concrete_fields if f.name != "id"]
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            after = getattr(record, field.attname)
            before = getattr(previous, field.attname) if previous is not None else None
            if (previous is None and record.history_type == "+") or before != after:
                changes.append(
                    Change(
                        str(field.verbose_name),
                        _display(field, before, names) if previous else "—",
                        _display(field, after, names),
                    )
                )
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else str(_("system")),
                kind=str(KINDS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes if record.history_type != "-" else [],
                record=record,
            )
        )
        previous = record
    rows.reverse()
    return rows


def deleted_records(resources: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(resource, history record) for each deleted object that has not come back, newest first."""
    found = []
    for resource in resources:
        model = resource.model
        if not hasattr(model, "history"):
            continue
        existing = model._default_manager.values("pk")
        deletions = (
            model.history.filter(history_type="-").exclude(id__in=existing).select_related("history_user")
        )
        latest: dict[Any, Any] = {}
        for record in deletions.order_by("history_date"):
            latest[record.id] = record
        for record in latest.values():
            record.label = _label(record)
            found.append((resource, record))
    return sorted(found, key=lambda pair: pair[1].history_date, reverse=True)


def _label(record: Any) -> str:
    """The deleted record's name; when its name reads a record that is gone too (a rotation's teacher deleted
    after it), its number."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"#{record.id}"


def record_shipped_rows(apps: Any, app_label: str, model_name: str, reason: str) -> None:
    """Gives rows created by a data migration their first audit record, so that the first edit shows a before.
    Takes the migration's `apps`, like any data migration."""
    from django.utils import timezone

    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    fields = [f.attname for f in model._meta.concrete_fields]
    already = set(history.objects.values_list("id", flat=True))
    now = timezone.now()
    history.objects.bulk_create(
        history(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason=reason,
        )
        for row in model.objects.exclude(pk__in=already)
    )


def record_changed_rows(apps: Any, app_label: str, model_name: str, rows: list[Any], reason: str) -> None:
    """The audit record of rows a data migration changed (as record_shipped_rows, for a change)."""
    from django.utils import timezone

    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    fields = [f.attname for f in model._meta.concrete_fields]
    now = timezone.now()
    history.objects.bulk_create(
        history(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="~",
            history_change_reason=reason,
        )
        for row in rows
    )
