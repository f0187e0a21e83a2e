"""The usage report of facility sharing (R-D8): per facility and month, the hours booked and by which schools.

Hours booked are those of approved bookings; requests still waiting for the owner's decision are counted apart
(they may yet be refused), and refused or cancelled bookings not at all. A booking lies within one day (see
`hours.is_open`), so it counts wholly in the month of its local start. The report is the owner's and those above
it: the owner school, the offices of its clusters, its district bureau and the commission — not the cluster mates
that may book the facility (they see when it is taken, not how much the others use it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.organisations.models import School
from junheng.staffing.models.teachers import schools_in_reach

from .choices import BookingStatus
from .models import Booking, Facility

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(text: str | None, today: date | None = None) -> date:
    """The first day of the month written YYYY-MM; this month when it is missing or wrong."""
    found = MONTH.match(text or "")
    if found and 1 <= int(found.group(2)) <= 12 and 2000 <= int(found.group(1)) <= 2100:
        return date(int(found.group(1)), int(found.group(2)), 1)
    return (today or timezone.localdate()).replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def reported_facilities(user: Any) -> Any:
    """The facilities whose usage the user reads: those of the schools it reaches as owner, cluster office,
    district bureau or commission."""
    reach = schools_in_reach(scope_for(user, Action.VIEW), Action.VIEW)
    return Facility.objects.filter(owner__in=School.objects.filter(reach)).select_related("owner")


class HourCount(float):
    """Hours from minutes, written as an office writes them: 4.5, 1, 0.25."""

    @classmethod
    def of(cls, minutes: int) -> HourCount:
        return cls(round(minutes / 60, 2))

    def __str__(self) -> str:
        return f"{self:.2f}".rstrip("0").rstrip(".")


@dataclass
class SchoolUse:
    school: School
    own: bool  # the owner's own use
    minutes: int = 0
    bookings: int = 0
    requested_minutes: int = 0
    requested: int = 0

    @property
    def hours(self) -> HourCount:
        return HourCount.of(self.minutes)

    @property
    def requested_hours(self) -> HourCount:
        return HourCount.of(self.requested_minutes)


@dataclass
class FacilityUse:
    facility: Facility
    by_school: dict[int, SchoolUse] = field(default_factory=dict)

    def _total(self, name: str, shared_only: bool = False) -> int:
        return sum(getattr(use, name) for use in self.by_school.values() if not (shared_only and use.own))

    @property
    def hours(self) -> HourCount:
        return HourCount.of(self._total("minutes"))

    @property
    def shared_hours(self) -> HourCount:
        """Hours booked by the other member schools."""
        return HourCount.of(self._total("minutes", shared_only=True))

    @property
    def bookings(self) -> int:
        return self._total("bookings")

    @property
    def requested_hours(self) -> HourCount:
        return HourCount.of(self._total("requested_minutes"))

    @property
    def requested(self) -> int:
        return self._total("requested")

    @property
    def schools(self) -> list[SchoolUse]:
        """The schools that booked, most hours first (those only requesting last)."""
        return sorted(
            self.by_school.values(), key=lambda u: (-u.minutes, -u.requested_minutes, u.school.name)
        )


def _bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(month, time(0)), zone),
        timezone.make_aware(datetime.combine(next_month(month), time(0)), zone),
    )


def usage_report(user: Any, month: date) -> list[FacilityUse]:
    """Every facility the user reads, in the month, with its approved and requested hours per booking school;
    facilities not booked at all are listed too (an unused facility is worth seeing)."""
    facilities = list(reported_facilities(user).order_by("owner__name", "kind", "name"))
    report = {facility.pk: FacilityUse(facility) for facility in facilities}
    starts, ends = _bounds(month)
    bookings = (
        Booking.objects.filter(
            facility__in=reported_facilities(user),
            status__in=(BookingStatus.APPROVED, BookingStatus.REQUESTED),
            starts_at__gte=starts,
            starts_at__lt=ends,
        )
        .select_related("booking_school")
        .only("facility_id", "booking_school", "starts_at", "ends_at", "status")
    )
    for booking in bookings:
        use = report[booking.facility_id]
        school = use.by_school.get(booking.booking_school_id) or use.by_school.setdefault(
            booking.booking_school_id,
            SchoolUse(booking.booking_school, own=booking.booking_school_id == use.facility.owner_id),
        )
        minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        if booking.status == BookingStatus.APPROVED:
            school.minutes += minutes
            school.bookings += 1
        else:
            school.requested_minutes += minutes
            school.requested += 1
    return list(report.values())


def usage_sheets(report: list[FacilityUse], month: date) -> list[tuple[str, list[list[Any]]]]:
    """The report as a workbook: a sheet of facilities, and one of facilities × booking schools."""
    label = f"{month:%Y-%m}"
    summary: list[list[Any]] = [
        [
            _("month"),
            _("facility"),
            _("kind"),
            _("owner school"),
            _("Hours booked"),
            _("Of which by other schools"),
            _("Approved bookings"),
            _("Hours awaiting approval"),
            _("Requests awaiting approval"),
            _("Booking schools"),
        ]
    ]
    detail: list[list[Any]] = [
        [
            _("month"),
            _("facility"),
            _("owner school"),
            _("booking school"),
            _("Own use"),
            _("Hours booked"),
            _("Approved bookings"),
            _("Hours awaiting approval"),
            _("Requests awaiting approval"),
        ]
    ]
    for use in report:
        facility = use.facility
        summary.append(
            [
                label,
                facility.name,
                facility.get_kind_display(),
                facility.owner.name,
                float(use.hours),
                float(use.shared_hours),
                use.bookings,
                float(use.requested_hours),
                use.requested,
                "、".join(s.school.name for s in use.schools if s.minutes),
            ]
        )
        for school in use.schools:
            detail.append(
                [
                    label,
                    facility.name,
                    facility.owner.name,
                    school.school.name,
                    _("Yes") if school.own else _("No"),
                    float(school.hours),
                    school.bookings,
                    float(school.requested_hours),
                    school.requested,
                ]
            )
    return [(_("Facility usage"), summary), (_("By booking school"), detail)]
