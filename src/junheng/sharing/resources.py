"""Facility sharing's lists, details, forms, exports and API: facilities with their bookings, and bookings with
their steps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse, reverse_lazy

from junheng.core.resources import REGISTRY, Resource, Section, register

from . import api, filtersets, forms, tables
from .models import Booking, Facility
from .services import booking_request, next_steps


def _bookings() -> Any:
    return Booking.objects.select_related("facility__owner", "booking_school")


def _facility_related(request: Any, facility: Facility) -> list[Section]:
    resource = REGISTRY["bookings"]
    rows = _bookings().restrict(request.user).filter(facility=facility)[:50]
    add_url = (
        f"{reverse('sharing:booking_add')}?facility={facility.pk}" if resource.may_add(request.user) else ""
    )
    table = resource.table(rows, orderable=False, exclude=("facility", "owner"))
    return [Section(Booking._meta.verbose_name_plural, table, add_url=add_url)]


def _booking_context(request: Any, booking: Booking) -> dict[str, Any]:
    return {"next_steps": next_steps(request.user, booking)}


register(
    Resource(
        name="facilities",
        model=Facility,
        queryset=lambda: Facility.objects.select_related("owner"),
        filterset=filtersets.FacilityFilterSet,
        table=tables.FacilityTable,
        schema=api.FacilityOut,
        form=forms.FacilityForm,
        related=_facility_related,
        import_url=reverse_lazy("sharing:facility_import", args=["facilities"]),
        detail_actions_template="sharing/facility_actions.html",
    )
)
register(
    Resource(
        name="bookings",
        model=Booking,
        queryset=_bookings,
        filterset=filtersets.BookingFilterSet,
        table=tables.BookingTable,
        schema=api.BookingOut,
        form=forms.BookingForm,
        save=booking_request,
        extra_detail_fields=["status", "decided_at", "decision_note"],
        detail_actions_template="sharing/booking_actions.html",
        detail_context=_booking_context,
        conflict_schema=api.ClashOut,
    )
)
# Shared courses and enrolment, the resource library with the clusters' culture (R-D2, R-D4, R-D9), and joint
# research, the guidance team's visits and new teachers' probation (R-D5–R-D7) register their own resources.
from . import course_resources, library_resources, research_resources  # noqa: E402, F401
