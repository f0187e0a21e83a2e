"""The bookings waiting for a school's approval (R-F4): requests at the facilities of the schools the user works
for, which only the owner decides. A district bureau may decide them too, but it is not reminded of every school's
requests: the queue is the owner school's."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from junheng.core.choices import Action
from junheng.core.scope import scope_for

from .choices import BookingStatus
from .models import Booking


def waiting_for_approval(user: Any) -> Any:
    """The requests at the facilities of the schools the user edits for as a school, soonest first."""
    schools = scope_for(user, Action.CHANGE).schools
    return (
        Booking.objects.filter(status=BookingStatus.REQUESTED, facility__owner__in=schools)
        .select_related("facility__owner", "booking_school")
        .order_by("starts_at", "pk")
    )


def waiting_lines(bookings: Any) -> list[str]:
    """One line per booking waiting for the user's approval, as the daily digest prints and mails it."""
    return [
        gettext("[Awaiting approval] %(facility)s %(when)s, booked by %(school)s: %(purpose)s")
        % {
            "facility": booking.facility.name,
            "when": f"{timezone.localtime(booking.starts_at):%Y-%m-%d %H:%M}",
            "school": booking.booking_school.name,
            "purpose": booking.purpose,
        }
        for booking in bookings
    ]
