"""The FilterSet every resource's list, export and API filter through: a search box and bounded values."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import bound_values, style_fields

ALL = _("All")  # the empty choice of a filter: no filtering


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields: tuple[str, ...] = ("name__icontains",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect):
                field.widget.choices = [("unknown", ALL), ("true", _("Yes")), ("false", _("No"))]
            elif getattr(field, "empty_label", None) is not None:  # the choices and the records' choices
                field.empty_label = ALL
        self._hide_empty_demo_filter()
        style_fields(self.form)
        bound_values(self.form)

    def _hide_empty_demo_filter(self) -> None:
        """The filter on demo data only where the records hold some (it still applies when asked for)."""
        asked = "is_demo" in self.data
        if "is_demo" in self.form.fields and not asked and not self.queryset.filter(is_demo=True).exists():
            del self.form.fields["is_demo"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for lookup in self.search_fields:
            condition |= Q(**{lookup: value.strip()})
        return queryset.filter(condition)
