"""One FilterSet per model: the list page, its export and the API filter through the same class."""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from junheng.core.scope import MAX_ID

from .choices import ClusterKind, InstitutionKind, ModelStatus, Ownership, Stage
from .models import Cluster, District, Institution, School


def style_fields(form) -> None:  # type: ignore[no-untyped-def]
    """Bootstrap classes on every widget, small for the filter bar."""
    for field in form.fields.values():
        css = "form-select" if hasattr(field.widget, "choices") else "form-control"
        if getattr(field.widget, "input_type", "") == "checkbox":
            css = "form-check-input"
        field.widget.attrs.setdefault("class", css)


def visible_districts(request) -> QuerySet[District]:  # type: ignore[no-untyped-def]
    """The districts a filter offers: those the user can see; all of them for the command line."""
    if request is None:
        return District.objects.all()
    return District.objects.restrict(request.user)


def bound_values(form: forms.Form) -> None:
    """Numbers and ids a filter accepts stay within what a database stores, so that a value such as
    999999999999999999999999 is an invalid choice (400) instead of an overflow in the query (500)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not field.to_field_name:
            field.to_python = _refusing_huge_ids(field)  # type: ignore[method-assign]
        elif isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
            field.validators += [MinValueValidator(-MAX_ID), MaxValueValidator(MAX_ID)]
        elif isinstance(field, forms.CharField):
            field.validators.append(ProhibitNullCharactersValidator())
            field.max_length = field.max_length or 200
            field.validators.append(MaxLengthValidator(field.max_length))


def _refusing_huge_ids(field: forms.ModelChoiceField) -> Any:
    parse = field.to_python

    def to_python(value: Any) -> Any:
        text = str(value).strip()
        if text.isdigit() and int(text) > MAX_ID:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
        return parse(value)

    return to_python


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields: tuple[str, ...] = ("name__icontains",)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        style_fields(self.form)
        bound_values(self.form)

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        condition = Q()
        for lookup in self.search_fields:
            condition |= Q(**{lookup: value.strip()})
        return queryset.filter(condition)


def district_filter(field_name: str = "district", label: Any = None) -> django_filters.ModelChoiceFilter:
    """Districts chosen by GB/T 2260 code (district=310101), from those the user can see."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=visible_districts, to_field_name="code", label=label or _("District")
    )


class DistrictFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "code__icontains", "aliases__name__icontains")

    class Meta:
        model = District
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return super().search(queryset, name, value).distinct()


class SchoolFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "code__icontains")
    district = district_filter()
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices, label=_("Ownership"))
    is_new = django_filters.BooleanFilter(label=_("Newly opened school"))
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = School
        fields = ["q", "district", "stage", "ownership", "is_new", "is_demo"]


class InstitutionFilterSet(SearchFilterSet):
    district = district_filter()
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices, label=_("Kind"))

    class Meta:
        model = Institution
        fields = ["q", "district", "kind"]


class ClusterFilterSet(SearchFilterSet):
    district = district_filter()
    kind = django_filters.ChoiceFilter(choices=ClusterKind.choices, label=_("Kind"))
    model_status = django_filters.ChoiceFilter(choices=ModelStatus.choices, label=_("Model status"))
    close_knit = django_filters.BooleanFilter(label=_("Close-knit"))

    class Meta:
        model = Cluster
        fields = ["q", "district", "kind", "model_status", "close_knit"]
