"""Links to other records only where the user may open them: a partner school outside the user's scope is
named, not linked, since its page would answer 404."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db import models
from django.utils.html import format_html

from .scope import RestrictedQuerySet


def visible_pks(user: Any, model: type[models.Model], pks: set[Any]) -> set[Any]:
    """Which of these records of a model the user may open, in one query."""
    manager: Any = model._default_manager
    if not isinstance(manager.all(), RestrictedQuerySet):
        return set(pks)  # a record nobody's scope limits
    return set(manager.restrict(user).filter(pk__in=pks).values_list("pk", flat=True))


def linkable(user: Any, record: Any) -> bool:
    """Whether a record shown on a page may be a link for this user (detail pages ask once per field)."""
    return hasattr(record, "get_absolute_url") and record.pk in visible_pks(user, type(record), {record.pk})


class VisibleLinkColumn(tables.Column):
    """A related record, linked when the user may open it. The records the page shows are checked together, so
    the column costs one query per page however many rows it has."""

    def render(self, value: Any, record: Any, table: Any, bound_column: Any) -> Any:
        if value is None or value == "":
            return self.default
        if value.pk not in self._visible(table, bound_column, type(value)):
            return str(value)
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)

    def value(self, value: Any, **kwargs: Any) -> Any:
        return "" if value is None else str(value)  # exports: the name

    def _visible(self, table: Any, bound_column: Any, model: type[models.Model]) -> set[Any]:
        cache = table.__dict__.setdefault("_visible_links", {})
        key = (bound_column.name, model)
        if key not in cache:
            rows = table.page.object_list if hasattr(table, "page") else table.data
            shown = {bound_column.accessor.resolve(row, quiet=True) for row in rows}
            pks = {item.pk for item in shown if isinstance(item, model)}
            request = getattr(table, "request", None) or table.context.get("request")
            cache[key] = visible_pks(request.user, model, pks)
        visible: set[Any] = cache[key]
        return visible
