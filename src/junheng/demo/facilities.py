"""Demo facility sharing (演示数据, S2 二(三) R-D8) in every demo cluster, around the demo's day (city.TODAY, a Monday):
the lead school opens a laboratory and a sports venue (with extended hours: evenings and Saturday), each other
member school a library or a labour-education base; the other member schools book them.

Every cluster shows each status: in the week before the demo's day an approved booking, a refused one, a cancelled
one and the owner's own use; in the demo's week an approved booking, a request awaiting approval, a Saturday and an
evening booking in the extended hours; and two weekly series to the end of the semester (Friday afternoons in the
laboratory, approved for the first two weeks and requested after; Monday afternoons in the sports venue, all
approved). The slots are laid out so that no two holding bookings of one facility overlap, as the database
requires; built in bulk, so they skip the services' checks and keep their rules by construction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.core.periods import Semester
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.sharing.choices import BookingStatus, FacilityKind
from junheng.sharing.models import Booking, Facility

from .city import DEMO_MARK, TODAY

SHANGHAI = ZoneInfo("Asia/Shanghai")
WORKDAYS = {str(day): [["08:00", "17:00"]] for day in range(1, 6)}
EVENINGS_AND_SATURDAY = {**{str(day): [["18:00", "21:00"]] for day in range(1, 6)}, "6": [["09:00", "17:00"]]}
LEAD_FACILITIES: tuple[tuple[str, str, int, dict[str, list[list[str]]]], ...] = (
    (FacilityKind.LABORATORY, "科创实验室", 45, {}),
    (FacilityKind.SPORTS_VENUE, "体育馆", 120, EVENINGS_AND_SATURDAY),
)
MEMBER_FACILITIES = (
    (FacilityKind.LIBRARY, "图书馆", 60),
    (FacilityKind.LABOUR_EDUCATION_BASE, "劳动教育基地", 40),
)
# Series ids from the cluster's number, so that the same size always gives the same demo.
SERIES_NAMESPACE = uuid.UUID("6f1c0d57-2f59-4c53-9a55-6a1e3b0b8d10")


def demo_facilities_remove() -> None:
    Booking.objects.filter(is_demo=True).delete()
    Facility.objects.filter(is_demo=True).delete()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _decided(status: str, when: date) -> dict[str, Any]:
    decided = status in (BookingStatus.APPROVED, BookingStatus.REFUSED, BookingStatus.CANCELLED)
    return {"status": status, "decided_at": _at(when - timedelta(days=3), 9) if decided else None}


def _booking(
    facility: Facility,
    school: School,
    day: date,
    hours: tuple[tuple[int, int], tuple[int, int]],
    status: str,
    purpose: str,
    size: int,
    series: uuid.UUID | None = None,
) -> Booking:
    (from_h, from_m), (to_h, to_m) = hours
    return Booking(
        facility=facility,
        booking_school=school,
        starts_at=_at(day, from_h, from_m),
        ends_at=_at(day, to_h, to_m),
        purpose=purpose,
        group_size=size,
        series=series,
        is_demo=True,
        decision_note="场地已安排其他活动（演示）" if status == BookingStatus.REFUSED else "",
        **_decided(status, day),
    )


def _weeks(first: date, until: date) -> Iterator[date]:
    day = first
    while day <= until:
        yield day
        day += timedelta(weeks=1)


def _cluster_bookings(
    number: int, lab: Facility, venue: Facility, library: Facility, lead: School, mates: list[School]
) -> list[Booking]:
    """The bookings of one cluster (see the module's description); `mates` are its other member schools."""
    first, second = mates[0], mates[1 % len(mates)]
    before, monday = TODAY - timedelta(days=7), TODAY
    approved, requested = BookingStatus.APPROVED, BookingStatus.REQUESTED
    bookings = [
        # the week before: every decided status, and the owner's own use
        _booking(lab, lead, before, ((10, 0), (12, 0)), approved, "本校化学实验课", 40),
        _booking(lab, first, before + timedelta(days=1), ((9, 0), (11, 0)), approved, "物理分组实验", 36),
        _booking(
            lab, second, before + timedelta(days=2), ((9, 0), (10, 0)), BookingStatus.REFUSED, "生物观察", 30
        ),
        _booking(
            lab,
            first,
            before + timedelta(days=3),
            ((14, 0), (15, 0)),
            BookingStatus.CANCELLED,
            "科创社团",
            20,
        ),
        _booking(library, lead, before + timedelta(days=1), ((13, 0), (15, 0)), approved, "整本书阅读", 45),
        # the demo's week: approved and awaiting, and the extended hours
        _booking(lab, first, monday + timedelta(days=1), ((9, 0), (11, 0)), approved, "物理分组实验", 36),
        _booking(lab, second, monday + timedelta(days=3), ((9, 0), (11, 0)), requested, "化学兴趣小组", 28),
        _booking(venue, second, monday + timedelta(days=5), ((9, 0), (11, 30)), approved, "周末篮球联赛", 80),
        _booking(venue, first, monday + timedelta(days=2), ((18, 30), (20, 0)), requested, "教工排球", 24),
    ]
    until = Semester.containing(TODAY).end
    fridays = uuid.uuid5(SERIES_NAMESPACE, f"{number}-lab")
    for week, day in enumerate(_weeks(monday + timedelta(days=4), until)):
        status = approved if week < 2 else requested
        bookings.append(
            _booking(lab, first, day, ((14, 0), (16, 0)), status, "科创课程（每周）", 30, fridays)
        )
    mondays = uuid.uuid5(SERIES_NAMESPACE, f"{number}-venue")
    for day in _weeks(monday + timedelta(days=7), until):
        bookings.append(
            _booking(venue, second, day, ((15, 0), (16, 30)), approved, "体育课（每周）", 60, mondays)
        )
    return bookings


@transaction.atomic
def demo_facilities_build(size: str) -> dict[str, int]:
    """The facilities and bookings of every demo cluster; the same for every build of a size (`size` decides only
    how many clusters there are)."""
    clusters = list(
        Cluster.objects.filter(is_demo=True).select_related("lead_school").order_by("district__code", "name")
    )
    members: dict[int, list[School]] = {}
    for membership in (
        ClusterMembership.objects.filter(cluster__in=clusters, start_date__lte=TODAY - timedelta(days=7))
        .exclude(end_date__lt=Semester.containing(TODAY).end)
        .select_related("school")
        .order_by("school__code")
    ):
        members.setdefault(membership.cluster_id, []).append(membership.school)
    facilities: list[Facility] = []
    for cluster in clusters:
        for kind, name, capacity, extended in LEAD_FACILITIES:
            facilities.append(
                Facility(
                    owner=cluster.lead_school,
                    kind=kind,
                    name=name,
                    capacity=capacity,
                    location="（演示）",
                    opening_hours=WORKDAYS,
                    extended_hours=extended,
                    is_demo=True,
                )
            )
        mates = [s for s in members.get(cluster.pk, []) if s.pk != cluster.lead_school_id]
        for turn, school in enumerate(mates):
            kind, name, capacity = MEMBER_FACILITIES[turn % len(MEMBER_FACILITIES)]
            facilities.append(
                Facility(
                    owner=school,
                    kind=kind,
                    name=name,
                    capacity=capacity,
                    opening_hours=WORKDAYS,
                    is_demo=True,
                )
            )
    bulk_create_with_history(facilities, Facility, batch_size=2000, default_change_reason=DEMO_MARK)
    saved = {(f.owner_id, f.name): f for f in Facility.objects.filter(is_demo=True)}
    bookings: list[Booking] = []
    for number, cluster in enumerate(clusters):
        mates = [s for s in members.get(cluster.pk, []) if s.pk != cluster.lead_school_id]
        if not mates:
            continue
        lead = cluster.lead_school
        lab, venue = saved[(lead.pk, "科创实验室")], saved[(lead.pk, "体育馆")]
        library = saved[(mates[0].pk, MEMBER_FACILITIES[0][1])]
        bookings += _cluster_bookings(number, lab, venue, library, lead, mates)
    bulk_create_with_history(bookings, Booking, batch_size=5000, default_change_reason=DEMO_MARK)
    return {"facilities": len(facilities), "bookings": len(bookings)}
