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

from .choices import Action

REGISTRY: dict[str, Resource] = {}


@dataclass(frozen=True)
class FieldRule:
    """A field decided above the record's editor (a cluster's model status): who may change it, and what the
    others are told. Pages show the field locked with the reason; the API refuses a change with it (403)."""

    may_change: Callable[[Any], bool]  # user -> bool
    reason: Any  # a (lazily translated) sentence


def municipal_only(reason: Any) -> FieldRule:
    from .scope import scope_for

    return FieldRule(lambda user: scope_for(user, Action.CHANGE).everything, reason)


@dataclass
class Section:
    """One related section of a detail page. A related function may return these or plain (title, table, add_url)
    tuples; `more_url` (with `count`) links the full list when the table shows only its first rows, `include` is
    a template shown above the table (a chart) that reads `section.data`, and `lead` puts it before the
    resource's own sections."""

    title: Any
    table: Any
    add_url: str = ""
    more_url: str = ""
    count: int = 0
    include: str = ""
    data: Any = None
    lead: bool = False


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
    related: Callable[[Any, Any], list[Any]] | None = None  # or Section objects
    # sections that apps depending on this one add to its detail page (e.g. findings on a pairing's page)
    more_related: list[Callable[[Any, Any], list[Any]]] = field(default_factory=list)
    # columns that apps depending on this one add to its list page: request -> [(name, django_tables2 Column)]
    more_columns: list[Callable[[Any], list[tuple[str, Any]]]] = field(default_factory=list)
    import_url: Any = ""  # the upload page (a lazy URL), offered to those who may add records
    import_needs_administrator: bool = False
    detail_actions_template: str = ""  # more actions on the detail page
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = (
        None  # (request, obj) -> what that template needs
    )
    field_rules: dict[str, FieldRule] = field(default_factory=dict)
    # the service that saves what the form built (actor, instance) -> instance; the audited save by default
    save: Callable[..., Any] | None = None
    # names the record a refused overlap clashes with (a booking's slot): the API's writes answer 409 with it
    conflict_schema: type[Schema] | None = None

    def sections(self, request: Any, obj: Any) -> list[Section]:
        """The detail page's related sections, those that lead first."""
        found = self.related(request, obj) if self.related else []
        found += [section for add in self.more_related for section in add(request, obj)]
        sections = [s if isinstance(s, Section) else Section(*s) for s in found]
        return sorted(sections, key=lambda section: not section.lead)

    def table_for(self, request: Any, objects: Any) -> Any:
        """The list page's table, with the columns other apps add."""
        extra = [column for add in self.more_columns for column in add(request)]
        return self.table(objects, extra_columns=extra) if extra else self.table(objects)

    def saved(self, actor: Any, instance: Any) -> Any:
        """Saves a record built by the resource's form, through its service."""
        from .services import object_save

        return (self.save or object_save)(actor=actor, instance=instance)

    @property
    def detail_fields(self) -> list[str]:
        """The detail page shows what the edit form edits, and any extra fields named."""
        return [*(self.form._meta.fields if self.form else []), *self.extra_detail_fields]  # type: ignore[attr-defined]  # a ModelForm class, typed as type

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def url_prefix(self) -> str:
        return f"{self.model._meta.app_label}:{self.model._meta.model_name}"

    def scoped(self, user: Any, action: str = Action.VIEW) -> Any:
        return self.queryset().restrict(user, action)

    def may_add(self, user: Any) -> bool:
        """Whether the user may add a record of this kind at all: the add button, the add page, the import and
        the API's create follow it."""
        from .scope import scope_for

        manager: Any = self.model._default_manager  # every domain manager is a RestrictedQuerySet's
        return self.form is not None and bool(manager.creatable(scope_for(user, Action.CHANGE)))

    def add_refusal(self) -> str:
        """Why `may_add` says no, for the add page's 403 and the API."""
        manager: Any = self.model._default_manager
        return str(manager.creation_refusal())

    def locked_fields(self, user: Any) -> dict[str, Any]:
        """The fields this user may not change, with the reason."""
        return {name: rule.reason for name, rule in self.field_rules.items() if not rule.may_change(user)}

    def form_for(self, user: Any, *args: Any, **kwargs: Any) -> Any:
        """The edit form as this user may use it: fields decided above the user are shown but locked (a locked
        field keeps the record's value whatever is submitted)."""
        form = self.form(*args, user=user, **kwargs)  # type: ignore[misc]  # every resource form takes the user
        for name, reason in self.locked_fields(user).items():
            if name in form.fields:
                form.fields[name].disabled = True
                form.fields[name].help_text = reason
        return form


def register(resource: Resource) -> Resource:
    REGISTRY[resource.name] = resource
    return resource


def resource_for_model(model: type[models.Model]) -> Resource:
    for resource in REGISTRY.values():
        if resource.model is model:
            return resource
    raise LookupError(model)
