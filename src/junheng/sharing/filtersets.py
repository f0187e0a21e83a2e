"""One FilterSet per model of facility sharing: the list page, its export and the API filter through it."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet
from junheng.organisations.filtersets import district_filter

from .choices import BookingStatus, FacilityKind
from .models import Booking, Facility


class FacilityFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "owner__name__icontains", "location__icontains")
    district = district_filter("owner__district")
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, label=_("Kind"))
    owner = django_filters.NumberFilter(field_name="owner", label=_("Owner school (id)"))
    holds_at_least = django_filters.NumberFilter(
        field_name="capacity", lookup_expr="gte", label=_("Holds at least")
    )
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = Facility
        fields = ["q", "district", "kind", "owner", "holds_at_least", "is_demo"]


class BookingFilterSet(SearchFilterSet):
    search_fields = (
        "facility__name__icontains",
        "facility__owner__name__icontains",
        "booking_school__name__icontains",
        "purpose__icontains",
    )
    district = district_filter("facility__owner__district")
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(
        field_name="facility__kind", choices=FacilityKind.choices, label=_("Kind of facility")
    )
    facility = django_filters.NumberFilter(field_name="facility", label=_("Facility (id)"))
    owner = django_filters.NumberFilter(field_name="facility__owner", label=_("Owner school (id)"))
    booking_school = django_filters.NumberFilter(field_name="booking_school", label=_("Booking school (id)"))
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    starts_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("To"))
    series = django_filters.UUIDFilter(field_name="series", label=_("Weekly series"))

    class Meta:
        model = Booking
        fields = [
            "q",
            "district",
            "status",
            "kind",
            "facility",
            "owner",
            "booking_school",
            "starts_from",
            "starts_to",
            "series",
        ]
