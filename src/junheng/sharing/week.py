"""The week calendar of facility sharing (R-D8): a facility's week, Monday to Sunday, on a grid of quarter hours —
its regular and extended opening hours shaded, each booking that holds its slot a block with its school and
status — and a cluster's week, the timetables of its member schools' facilities side by side, so that the
schools see how they stagger their use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

from junheng.organisations.models import Cluster, ClusterMembership

from .choices import HOLDING_SLOT, WEEKDAYS
from .hours import Hours
from .models import Booking, Facility

SLOT = 15  # minutes per row of the grid
DAY_FROM, DAY_TO = 8 * 60, 18 * 60  # the hours shown at least, widened to what the week holds
HEADER_ROWS = 1  # the row of weekday names
LABEL_COLUMNS = 1  # the column of times


def monday_of(text: str | None, today: date | None = None) -> date:
    """The Monday of the week holding the day written YYYY-MM-DD; this week's when it is missing or wrong."""
    day = None
    try:
        day = parse_date(text or "")
    except ValueError:  # a well-formed but impossible date, 2025-02-30
        day = None
    day = day or today or timezone.localdate()
    return day - timedelta(days=day.weekday())


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _local_minutes(moment: datetime, day: date) -> int:
    """Minutes since the start of `day` (a booking ending at midnight ends at 24:00)."""
    local = timezone.localtime(moment)
    return (local.date() - day).days * 24 * 60 + local.hour * 60 + local.minute


def week_bookings(user: Any, facilities: Any, monday: date) -> Any:
    """The bookings holding a slot in the week at those facilities, as the user sees them."""
    zone = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.combine(monday, time(0)), zone)
    return (
        Booking.objects.restrict(user)
        .filter(
            facility__in=facilities,
            status__in=HOLDING_SLOT,
            starts_at__gte=starts,
            starts_at__lt=starts + timedelta(days=7),
        )
        .select_related("booking_school", "facility")
        .order_by("starts_at")
    )


@dataclass
class Block:
    """One thing on the grid: an opening period (`open`, `extended`) or a booking."""

    kind: str
    column: int
    row_from: int
    row_to: int
    label: str = ""
    booking: Booking | None = None

    @property
    def css_grid(self) -> str:
        return f"grid-column: {self.column}; grid-row: {self.row_from} / {self.row_to};"


@dataclass
class WeekGrid:
    monday: date
    first: int  # minute of the day of the grid's first row
    last: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def days(self) -> list[tuple[date, Any, int]]:
        """(day, weekday name, column) of the seven days."""
        names = dict(WEEKDAYS)
        return [(self.monday + timedelta(days=n), names[n + 1], LABEL_COLUMNS + n + 1) for n in range(7)]

    def row(self, minute: int) -> int:
        return HEADER_ROWS + 1 + (min(max(minute, self.first), self.last) - self.first) // SLOT

    @property
    def hour_rows(self) -> list[tuple[str, str]]:
        """(label, CSS placement) of each full hour's label."""
        return [
            (f"{minute // 60:02}:00", f"grid-row: {self.row(minute)} / span {60 // SLOT};")
            for minute in range(self.first, self.last, 60)
        ]

    @property
    def css_rows(self) -> str:
        return f"grid-template-rows: auto repeat({(self.last - self.first) // SLOT}, 0.6rem);"

    @property
    def bookings(self) -> list[Block]:
        return [block for block in self.blocks if block.booking is not None]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def _periods(hours: Hours | None, weekday: int) -> list[tuple[int, int]]:
    return [(_minutes(a), _minutes(b)) for a, b in (hours or {}).get(str(weekday), [])]


def facility_week(user: Any, facility: Facility, monday: date) -> WeekGrid:
    """The facility's week as the user sees it."""
    spans: list[tuple[str, int, int, int, Booking | None]] = []  # kind, day number, from, to, booking
    for number in range(7):
        for kind, hours in (("open", facility.opening_hours), ("extended", facility.extended_hours)):
            spans += [(kind, number, a, b, None) for a, b in _periods(hours, number + 1)]
    for booking in week_bookings(user, [facility.pk], monday):
        day = timezone.localtime(booking.starts_at).date()
        number = (day - monday).days
        spans.append(
            (
                "booking",
                number,
                _local_minutes(booking.starts_at, day),
                _local_minutes(booking.ends_at, day),
                booking,
            )
        )
    first = min([DAY_FROM, *(a for _k, _n, a, _b, _x in spans)]) // 60 * 60
    last = -(-max([DAY_TO, *(b for _k, _n, _a, b, _x in spans)]) // 60) * 60
    grid = WeekGrid(monday, first, min(last, 24 * 60))
    for kind, number, a, b, booking in spans:
        label = ""
        if booking is not None:
            local_from, local_to = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
            label = f"{local_from:%H:%M}–{local_to:%H:%M}"
        grid.blocks.append(
            Block(
                kind,
                LABEL_COLUMNS + number + 1,
                grid.row(a),
                max(grid.row(b), grid.row(a) + 1),
                label,
                booking,
            )
        )
    return grid


# A cluster's week --------------------------------------------------------------------------------------------


@dataclass
class DayCell:
    day: date
    regular: str  # the day's opening periods, written
    extended: str
    bookings: list[Booking]


@dataclass
class FacilityRow:
    facility: Facility
    cells: list[DayCell]


def _written(periods: list[tuple[int, int]]) -> str:
    return ", ".join(f"{a // 60:02}:{a % 60:02}-{b // 60:02}:{b % 60:02}" for a, b in periods)


def cluster_facilities(user: Any, cluster: Cluster, monday: date) -> Any:
    """The facilities the user sees of the schools that are members of the cluster during the week."""
    sunday = monday + timedelta(days=6)
    members = ClusterMembership.objects.filter(cluster=cluster, start_date__lte=sunday).exclude(
        end_date__lt=monday
    )
    return (
        Facility.objects.restrict(user)
        .filter(owner__in=members.values("school"))
        .select_related("owner")
        .order_by("owner__name", "kind", "name")
    )


def cluster_week(user: Any, cluster: Cluster, monday: date) -> list[FacilityRow]:
    """Each member school's facility with, for each day of the week, its hours and its bookings."""
    facilities = list(cluster_facilities(user, cluster, monday))
    by_day: dict[tuple[int, date], list[Booking]] = {}
    for booking in week_bookings(user, [f.pk for f in facilities], monday):
        by_day.setdefault((booking.facility_id, timezone.localtime(booking.starts_at).date()), []).append(
            booking
        )
    rows = []
    for facility in facilities:
        cells = []
        for number in range(7):
            day = monday + timedelta(days=number)
            cells.append(
                DayCell(
                    day,
                    _written(_periods(facility.opening_hours, number + 1)),
                    _written(_periods(facility.extended_hours, number + 1)),
                    by_day.get((facility.pk, day), []),
                )
            )
        rows.append(FacilityRow(facility, cells))
    return rows
