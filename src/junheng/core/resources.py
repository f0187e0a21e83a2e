"""The registry of resources: one entry per listable model ties its queryset, FilterSet, table and API schema.

List pages, Excel/CSV/JSON exports, the `junheng export` command and the API all read this registry, so a
resource's filters and columns are defined once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import django_filters
import django_tables2
from django.db import models
from ninja import Schema

REGISTRY: dict[str, Resource] = {}


@dataclass
class Resource:
    name: str  # URL segment and CLI name, e.g. "schools"
    model: type[models.Model]
    queryset: Callable[[], Any]  # the base queryset, with the joins its table needs
    filterset: type[django_filters.FilterSet]
    table: type[django_tables2.Table]
    schema: type[Schema]  # one item of the API
    form: type | None = None  # ModelForm; None when the resource is not edited on pages
    extra_detail_fields: list[str] = field(default_factory=list)
    # (request, obj) -> [(title, table, url of the page that records another row, or "")]
    related: Callable[[Any, Any], list[tuple[str, Any, str]]] | None = None
    # sections that apps depending on this one add to its detail page (e.g. findings on a pairing's page)
    more_related: list[Callable[[Any, Any], list[tuple[str, Any, str]]]] = field(default_factory=list)
    import_url: Any = ""  # the upload page (a lazy URL), offered to those who may add records
    import_needs_administrator: bool = False
    detail_actions_template: str = ""  # more actions on the detail page
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = (
        None  # (request, obj) -> what that template needs
    )

    @property
    def detail_fields(self) -> list[str]:
        """The detail page shows what the edit form edits, and any extra fields named."""
        return [*(self.form._meta.fields if self.form else []), *self.extra_detail_fields]  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def url_prefix(self) -> str:
        return f"{self.model._meta.app_label}:{self.model._meta.model_name}"

    def scoped(self, user: Any, action: str = "view") -> Any:
        return self.queryset().restrict(user, action)


def register(resource: Resource) -> Resource:
    REGISTRY[resource.name] = resource
    return resource


def resource_for_model(model: type[models.Model]) -> Resource:
    for resource in REGISTRY.values():
        if resource.model is model:
            return resource
    raise LookupError(model)
