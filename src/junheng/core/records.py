"""A list/detail/edit/export/API resource declared from a model and the fields it shows, for the many kinds of
record that need nothing more than their fields, a search and a few filters."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from ninja.orm import create_schema

from .filtersets import SearchFilterSet
from .forms import ScopedModelForm
from .resources import Resource, register


class RecordTable(tables.Table):
    record = tables.Column(accessor="pk", verbose_name=_("record"), linkify=True)

    def render_record(self, record: Any) -> str:
        return str(record)  # the record's name as the link, not its number


def record_resource(
    name: str,
    model: Any,
    fields: list[str],
    search: tuple[str, ...],
    filters: dict[str, Any],
    queryset: Any,
    table: type[tables.Table] = RecordTable,
    read_only: tuple[str, ...] = (),
    edited: bool = True,
    form: type | None = None,
    **options: Any,
) -> Resource:
    """Registers the resource; `read_only` fields are shown but changed only by a workflow, and a resource that is
    not `edited` on pages (results a command computes) has no form. `form` replaces the form made from `fields`."""
    meta = type("Meta", (), {"model": model, "fields": ["q", *filters]})
    filterset = type(
        f"{model.__name__}FilterSet", (SearchFilterSet,), {"Meta": meta, "search_fields": search, **filters}
    )
    form = form or type(
        f"{model.__name__}Form",
        (ScopedModelForm,),
        {"Meta": type("Meta", (), {"model": model, "fields": [f for f in fields if f not in read_only]})},
    )
    return register(
        Resource(
            name=name,
            model=model,
            queryset=queryset,
            filterset=filterset,
            table=tables.table_factory(model, table=table, fields=["record", *fields]),
            schema=create_schema(model, name=f"{model.__name__}Out", fields=["id", *fields]),
            form=form if edited else None,
            extra_detail_fields=list(read_only) if edited else fields,
            **options,
        )
    )
