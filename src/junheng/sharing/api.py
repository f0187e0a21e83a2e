"""API schemas of facility sharing, and the routes of a booking's steps and of a weekly series; the list,
detail and write routes come from the resource registry (`POST /api/v1/bookings/` answers 409 naming the
booking that holds the slot)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from junheng.core.choices import Action
from junheng.core.scope import MAX_ID, access_object, can
from junheng.organisations.models import School

from .models import Booking, Facility
from .services import booking_cancel, booking_decide, booking_request_weekly


class Ref(Schema):
    id: int
    name: str


def _ref(record: Any) -> dict[str, Any]:
    return {"id": record.pk, "name": record.name}


class FacilityOut(Schema):
    id: int
    owner: Ref
    kind: str
    name: str
    capacity: int
    location: str
    opening_hours: dict[str, list[list[str]]]
    extended_hours: dict[str, list[list[str]]]
    note: str
    is_demo: bool

    @staticmethod
    def resolve_owner(obj: Facility) -> dict[str, Any]:
        return _ref(obj.owner)


class BookingOut(Schema):
    id: int
    facility: Ref
    owner: Ref
    booking_school: Ref
    starts_at: datetime
    ends_at: datetime
    purpose: str
    group_size: int
    status: str
    decided_at: datetime | None
    decision_note: str
    series: str | None

    @staticmethod
    def resolve_facility(obj: Booking) -> dict[str, Any]:
        return _ref(obj.facility)

    @staticmethod
    def resolve_owner(obj: Booking) -> dict[str, Any]:
        return _ref(obj.facility.owner)

    @staticmethod
    def resolve_booking_school(obj: Booking) -> dict[str, Any]:
        return _ref(obj.booking_school)

    @staticmethod
    def resolve_series(obj: Booking) -> str | None:
        return str(obj.series) if obj.series else None


class ClashOut(Schema):
    """The booking holding a slot, as a refused request is told of it: which, where, when, by whom."""

    id: int
    facility: Ref
    starts_at: datetime
    ends_at: datetime
    school: Ref
    status: str

    @staticmethod
    def resolve_facility(obj: Booking) -> dict[str, Any]:
        return _ref(obj.facility)

    @staticmethod
    def resolve_school(obj: Booking) -> dict[str, Any]:
        return _ref(obj.booking_school)


# A booking's steps and the weekly series ------------------------------------------------------------------

router = Router(tags=["bookings"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Note = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]


class ErrorOut(Schema):
    detail: str


class DecisionIn(Schema):
    to: Literal["approved", "refused"]
    note: Note = ""


class CancelIn(Schema):
    note: Note = ""


def _booking(pk: int) -> Booking:
    found: Booking = Booking.objects.select_related("facility__owner", "booking_school").get(pk=pk)
    return found


def _step(request: HttpRequest, item_id: int, take: Any) -> Any:
    try:
        booking = access_object(Booking, request.user, item_id)
    except Http404:  # missing and out of scope answer alike
        return Status(404, {"detail": "Not found"})
    try:
        take(booking)
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    except ValidationError as invalid:
        return Status(422, {"detail": "；".join(invalid.messages)})
    return Status(200, _booking(booking.pk))


@router.post(
    "/bookings/{item_id}/decide/",
    response={200: BookingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="decide_booking",
    summary="批准或拒绝场馆预约",
)
def decide(request: HttpRequest, item_id: Id, payload: DecisionIn) -> Any:
    return _step(
        request,
        item_id,
        lambda b: booking_decide(actor=request.user, booking=b, to=payload.to, note=payload.note.strip()),
    )


@router.post(
    "/bookings/{item_id}/cancel/",
    response={200: BookingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="cancel_booking",
    summary="取消场馆预约",
)
def cancel(request: HttpRequest, item_id: Id, payload: CancelIn) -> Any:
    return _step(
        request, item_id, lambda b: booking_cancel(actor=request.user, booking=b, note=payload.note.strip())
    )


class WeeklyIn(Schema):
    facility: Annotated[int, Field(ge=1, le=MAX_ID)]
    booking_school: Annotated[int, Field(ge=1, le=MAX_ID)]
    starts_at: datetime
    ends_at: datetime
    purpose: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    group_size: Annotated[int, Field(ge=1, le=2**31 - 1)]
    until: date | None = None


class WeekOut(Schema):
    starts_at: datetime
    ends_at: datetime
    booking: int | None
    conflicting: ClashOut | None
    reason: str


class SeriesOut(Schema):
    series: str
    booked: int
    refused: int
    weeks: list[WeekOut]


@router.post(
    "/bookings/weekly/",
    response={201: SeriesOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="create_weekly_bookings",
    summary="按周重复预约（至学期末）",
)
def weekly(request: HttpRequest, payload: WeeklyIn) -> Any:
    """Every week's occurrence booked on its own: the answer lists each week, booked or refused with the
    booking holding its slot."""
    facility = Facility.objects.restrict(request.user).filter(pk=payload.facility).first()
    school = School.objects.filter(pk=payload.booking_school).first()
    if facility is None or school is None:
        return Status(404, {"detail": "Not found"})
    if not can(request.user, Action.CHANGE, school):
        return Status(403, {"detail": "You may not book for this school."})
    template = Booking(
        facility=facility,
        booking_school=school,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose.strip(),
        group_size=payload.group_size,
    )
    if payload.ends_at <= payload.starts_at:
        return Status(422, {"detail": str(Booking._meta.constraints[0].get_violation_error_message())})
    try:
        report = booking_request_weekly(actor=request.user, template=template, until=payload.until)
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    weeks = [
        {
            "starts_at": o.starts_at,
            "ends_at": o.ends_at,
            "booking": o.booking.pk if o.booking else None,
            "conflicting": o.clash,
            "reason": o.reason,
        }
        for o in report.occurrences
    ]
    return Status(
        201,
        {
            "series": str(report.series),
            "booked": len(report.booked),
            "refused": len(report.refused),
            "weeks": weeks,
        },
    )
