"""Writing facility sharing: a booking requested by a school of the owner's cluster, decided by the owner,
cancelled by the booking school; a weekly series for a semester, each occurrence booked or reported on its own.

The overlap of two bookings holding one slot is refused by the database (`booking_one_at_a_time`); the check
made here first only names the clash sooner. When two requests race past it, the database refuses the second and
it is told the same, naming the booking that won."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.core.choices import Action
from junheng.core.constraints import NonOverlapping
from junheng.core.periods import Semester
from junheng.core.services import object_save
from junheng.organisations.models import ClusterMembership, School, in_force_on

from .choices import HOLDING_SLOT, BookingStatus
from .hours import is_open
from .models import Booking

# Who takes each step: the owner decides a request; the booking school withdraws its request or booking.
DECISIONS = {BookingStatus.APPROVED, BookingStatus.REFUSED}
NEXT = {
    BookingStatus.REQUESTED: {BookingStatus.APPROVED, BookingStatus.REFUSED, BookingStatus.CANCELLED},
    BookingStatus.APPROVED: {BookingStatus.CANCELLED},
}


def _edits(actor: Any, school_id: int) -> bool:
    return School.objects.restrict(actor, Action.CHANGE).filter(pk=school_id).exists()


def _overlap() -> NonOverlapping:
    return next(c for c in Booking._meta.constraints if isinstance(c, NonOverlapping))


def clash_of(booking: Booking) -> Booking | None:
    """The booking holding the slot this one asks for, if any."""
    found: Booking | None = (
        _overlap().overlapping(Booking, booking).select_related("facility", "booking_school").first()
    )
    return found


def shares_a_cluster(school_id: int, owner_id: int, day: date) -> bool:
    """Whether the two schools are members of one cluster on the day."""
    clusters = ClusterMembership.objects.filter(in_force_on(day), school=owner_id).values("cluster")
    return ClusterMembership.objects.filter(in_force_on(day), school=school_id, cluster__in=clusters).exists()


def booking_rules(booking: Booking) -> None:
    """The rules of sharing: a member school of a cluster the owner is also in (or the owner itself), a group
    the facility holds, inside its opening hours (regular or extended)."""
    facility, errors = booking.facility, {}
    day = timezone.localtime(booking.starts_at).date()
    if booking.booking_school_id != facility.owner_id and not shares_a_cluster(
        booking.booking_school_id, facility.owner_id, day
    ):
        errors["booking_school"] = _(
            "Only a school of a cluster %(owner)s belongs to may book its facilities."
        ) % {"owner": facility.owner}
    if booking.group_size and booking.group_size > facility.capacity:
        errors["group_size"] = _("The facility holds %(capacity)s people.") % {"capacity": facility.capacity}
    if not (
        is_open(facility.opening_hours, booking.starts_at, booking.ends_at)
        or is_open(facility.extended_hours, booking.starts_at, booking.ends_at)
    ):
        errors["starts_at"] = _("The facility is not open for the whole of this time.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def booking_request(*, actor: Any, instance: Booking) -> Booking:
    """Requests a booking (or changes a request) for the booking school. The owner's own use is approved at once;
    any other waits for the owner's decision, and a change of a decided booking asks again."""
    if not _edits(actor, instance.booking_school_id):
        raise PermissionDenied(_("Only the booking school and its district bureau request its bookings."))
    if instance.pk and instance.status not in HOLDING_SLOT:
        raise ValidationError(_("A refused or cancelled booking is not changed; request a new one."))
    if instance.starts_at and instance.ends_at and instance.ends_at > instance.starts_at:
        booking_rules(instance)
    own_use = instance.booking_school_id == instance.facility.owner_id
    instance.status = BookingStatus.APPROVED if own_use else BookingStatus.REQUESTED
    instance.decided_by, instance.decided_at = (actor, timezone.now()) if own_use else (None, None)
    clash = clash_of(instance)
    if clash is not None:
        raise _overlap().refusal(clash)
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction usable
            return object_save(actor=actor, instance=instance, check_scope=False)
    except (IntegrityError, ValidationError):
        # Another request took the slot between the check and the write; the database refused this one.
        clash = clash_of(instance)
        if clash is None:
            raise
        raise _overlap().refusal(clash) from None


@transaction.atomic
def booking_decide(*, actor: Any, booking: Booking, to: str, note: str = "") -> Booking:
    """The owning school approves or refuses a request."""
    if to not in DECISIONS:
        raise ValidationError(_("A decision approves or refuses."))
    if not _edits(actor, booking.facility.owner_id):
        raise PermissionDenied(_("Only the owning school and its district bureau decide on bookings."))
    return _step(actor, booking, BookingStatus(to), note)


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, note: str = "") -> Booking:
    """The booking school withdraws its request or its approved booking; the slot is free again."""
    if not _edits(actor, booking.booking_school_id):
        raise PermissionDenied(_("Only the booking school and its district bureau cancel its bookings."))
    return _step(actor, booking, BookingStatus.CANCELLED, note)


def _step(actor: Any, booking: Booking, to: BookingStatus, note: str) -> Booking:
    if to not in NEXT.get(BookingStatus(booking.status), set()):
        raise ValidationError(
            _("The booking is %(status)s; it cannot be %(to)s.")
            % {"status": booking.get_status_display(), "to": to.label}
        )
    booking.status, booking.decision_note = to, note
    booking.decided_by, booking.decided_at = actor, timezone.now()
    return object_save(actor=actor, instance=booking, reason=str(to.label), check_scope=False)


# Weekly series ---------------------------------------------------------------------------------------------


@dataclass
class Occurrence:
    starts_at: datetime
    ends_at: datetime
    booking: Booking | None = None  # booked
    clash: Booking | None = None  # refused: the booking holding the slot
    reason: str = ""  # refused for another rule


@dataclass
class SeriesReport:
    series: uuid.UUID
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def booked(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.booking is not None]

    @property
    def refused(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.booking is None]


def weekly_times(starts_at: datetime, ends_at: datetime, until: date) -> list[tuple[datetime, datetime]]:
    """The first booking's time each week up to and including `until`, in local time (the same hour every week)."""
    first, last = timezone.localtime(starts_at), timezone.localtime(ends_at)
    times, week = [], 0
    while (first + timedelta(weeks=week)).date() <= until:
        shift = timedelta(weeks=week)
        zone = timezone.get_current_timezone()
        times.append(
            (
                timezone.make_aware((first + shift).replace(tzinfo=None), zone),
                timezone.make_aware((last + shift).replace(tzinfo=None), zone),
            )
        )
        week += 1
    return times


def booking_request_weekly(*, actor: Any, template: Booking, until: date | None = None) -> SeriesReport:
    """Books the template's slot every week up to `until` (by default the end of its semester). Each occurrence
    is requested on its own — a clash or a broken rule refuses that week only, the others are booked — and the
    report says which weeks were refused and why."""
    until = until or Semester.containing(timezone.localtime(template.starts_at).date()).end
    report = SeriesReport(series=uuid.uuid4())
    for starts_at, ends_at in weekly_times(template.starts_at, template.ends_at, until):
        occurrence = Occurrence(starts_at, ends_at)
        booking = Booking(
            facility=template.facility,
            booking_school=template.booking_school,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=template.purpose,
            group_size=template.group_size,
            series=report.series,
        )
        try:
            occurrence.booking = booking_request(actor=actor, instance=booking)
        except ValidationError as refused:
            clash = (getattr(refused, "params", None) or {}).get("conflicting")
            occurrence.clash = Booking.objects.select_related("booking_school").filter(pk=clash).first()
            occurrence.reason = "；".join(refused.messages)
        report.occurrences.append(occurrence)
    return report


STEP_LABELS = {
    BookingStatus.APPROVED: gettext_lazy("Approve"),
    BookingStatus.REFUSED: gettext_lazy("Refuse"),
    BookingStatus.CANCELLED: gettext_lazy("Cancel the booking"),
}


def next_steps(actor: Any, booking: Booking) -> list[tuple[str, str]]:
    """The steps the actor may take on the booking now, as (status to move to, label of the button)."""
    allowed = NEXT.get(BookingStatus(booking.status), set())
    steps: list[BookingStatus] = []
    if _edits(actor, booking.facility.owner_id):
        steps += [to for to in (BookingStatus.APPROVED, BookingStatus.REFUSED) if to in allowed]
    if BookingStatus.CANCELLED in allowed and _edits(actor, booking.booking_school_id):
        steps.append(BookingStatus.CANCELLED)
    return [(str(to), str(STEP_LABELS[to])) for to in steps]
