"""One FilterSet per model: the list page, its export and the API filter through the same class."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet

from .choices import ClusterKind, InstitutionKind, ModelStatus, Ownership, Stage
from .models import Cluster, District, Institution, School


def visible_districts(request: Any) -> QuerySet[District]:
    """The districts a filter offers: those the user can see; all of them for the command line."""
    if request is None:
        return District.objects.all()
    return District.objects.restrict(request.user)


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

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return super().search(queryset, name, value).distinct()


class SchoolFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "code__icontains")
    district = district_filter()
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices, label=_("Ownership"))
    is_new = django_filters.BooleanFilter(label=_("Newly opened school"))
    is_rural = django_filters.BooleanFilter(label=_("Rural school"))
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = School
        fields = ["q", "district", "stage", "ownership", "is_new", "is_rural", "is_demo"]


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
