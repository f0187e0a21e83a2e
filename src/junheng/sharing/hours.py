"""Opening hours of a facility: for each weekday (1 = Monday … 7 = Sunday, as `isoweekday`) the periods it is
open, stored as JSON `{"1": [["08:00", "17:00"]], …}` and written on pages and in the API as one line per day,
`周一 08:00-12:00, 13:00-17:00` (or `Mon 08:00-17:00`, or `1 08:00-17:00`). A facility has its regular hours
and its extended hours (延时开放: evenings, weekends, holidays); a booking fits when it lies in one period of
either."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import WEEKDAYS

Hours = dict[str, list[list[str]]]  # weekday → [[from, to], …], times as HH:MM

_DAY_NAMES = {
    **{str(number): number for number in range(1, 8)},
    **{
        name.lower(): number
        for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1)
    },
    **{f"周{c}": number for number, c in enumerate("一二三四五六日", 1)},
    **{f"星期{c}": number for number, c in enumerate("一二三四五六日", 1)},
    "周天": 7,
    "星期天": 7,
}
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})$")


def parse_hours(text: str) -> Hours:
    """The JSON form of the written form; a wrong line is refused naming it."""
    hours: Hours = {}
    for number, raw in enumerate(text.strip().splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        day_name, _sep, rest = line.partition(" ")
        day = _DAY_NAMES.get(day_name.strip().lower())
        if day is None:
            raise ValidationError(
                _("Line %(line)s: “%(day)s” is no weekday (write 周一 … 周日).")
                % {"line": number, "day": day_name}
            )
        periods = [p.strip() for p in re.split(r"[,，;；、]", rest) if p.strip()]
        if not periods:
            raise ValidationError(_("Line %(line)s: no opening period.") % {"line": number})
        hours.setdefault(str(day), []).extend([_period(number, p) for p in periods])
    for day_periods in hours.values():
        day_periods.sort()
    return hours


def _period(line: int, text: str) -> list[str]:
    found = _PERIOD.match(text)
    if found is None:
        raise ValidationError(
            _("Line %(line)s: “%(period)s” is no period (write 08:00-17:00).")
            % {"line": line, "period": text}
        )
    opens_h, opens_m, closes_h, closes_m = (int(g) for g in found.groups())
    if not (opens_h < 24 and closes_h <= 24 and opens_m < 60 and closes_m < 60) or (
        closes_h == 24 and closes_m
    ):
        raise ValidationError(
            _("Line %(line)s: “%(period)s” is no time of day.") % {"line": line, "period": text}
        )
    opens, closes = f"{opens_h:02}:{opens_m:02}", f"{closes_h:02}:{closes_m:02}"
    if closes <= opens:
        raise ValidationError(
            _("Line %(line)s: “%(period)s” closes before it opens.") % {"line": line, "period": text}
        )
    return [opens, closes]


def written_hours(hours: Hours | None) -> str:
    """The written form of the JSON form, one line per weekday in order."""
    names = dict(WEEKDAYS)
    return "\n".join(
        f"{names[int(day)]} " + ", ".join(f"{opens}-{closes}" for opens, closes in (hours or {})[day])
        for day in sorted(hours or {}, key=int)
    )


def check_hours(value: Any) -> None:
    """The model's validator: the stored JSON has the shape above (an import or the API may bypass the form)."""
    if not isinstance(value, dict):
        raise ValidationError(_("Opening hours are a weekday → periods table."))
    for day, periods in value.items():
        if day not in {str(n) for n in range(1, 8)} or not isinstance(periods, list):
            raise ValidationError(_("Opening hours are a weekday → periods table."))
        for period in periods:
            if not (
                isinstance(period, list) and len(period) == 2 and all(isinstance(t, str) for t in period)
            ):
                raise ValidationError(_("Opening hours are a weekday → periods table."))
            _period(0, f"{period[0]}-{period[1]}")


def is_open(hours: Hours | None, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether [starts_at, ends_at) lies in one open period of its (local) day; a period closing at 24:00 ends
    at midnight."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if end.date() != start.date() and not (end.time() == time(0) and (end.date() - start.date()).days == 1):
        return False
    starts, ends = start.strftime("%H:%M"), "24:00" if end.time() == time(0) else end.strftime("%H:%M")
    periods = (hours or {}).get(str(start.isoweekday()), [])
    return any(opens <= starts and ends <= closes for opens, closes in periods)
