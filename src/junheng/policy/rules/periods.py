"""Periods and deadlines the rules count in: months, half-years, years, and what is due by when."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from junheng.core.editions import ThresholdValue

from .base import AT_RISK, FAIL, NOT_DUE, PASS, WARNING_DAYS


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(start: date, day: date) -> int:
    """Whole calendar months from start's month up to (not including) day's month."""
    return max(0, (day.year - start.year) * 12 + day.month - start.month)


def fraction_of_month(day: date) -> float:
    return day.day / calendar.monthrange(day.year, day.month)[1]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def label(self) -> str:
        return f"{self.start:%Y-%m}～{self.end:%Y-%m}"


def calendar_periods(start: date, end: date, months: int) -> list[Period]:
    """Calendar half-years (months=6) or years (12) that overlap [start, end]."""
    first = date(start.year, 1 if months == 12 or start.month <= 6 else 7, 1)
    periods = []
    while first <= end:
        following = add_months(first, months)
        periods.append(Period(first, following - timedelta(days=1)))
        first = following
    return periods


def count_per_period_status(
    periods: list[Period], dates: list[date], required: ThresholdValue, as_of: date
) -> tuple[str, dict[str, Any]]:
    """Each closed period must reach the threshold; the open one is at risk once it is half over without it."""
    closed = [p for p in periods if p.end < as_of]
    short = [p.label() for p in closed if not required.met_by(sum(p.start <= d <= p.end for d in dates))]
    current = next((p for p in periods if p.start <= as_of <= p.end), None)
    measured: dict[str, Any] = {"periods_checked": len(closed), "periods_short": short}
    if current is not None:
        in_current = sum(current.start <= d <= as_of for d in dates)
        elapsed = (as_of - current.start).days / ((current.end - current.start).days + 1)
        measured.update(current_period=current.label(), current_count=in_current)
    if short:
        return FAIL, measured
    if current is not None and not required.met_by(in_current):
        if elapsed >= 0.5:
            return AT_RISK, measured
        if not closed:
            return NOT_DUE, measured
    if not closed and current is None:
        return NOT_DUE, measured
    return PASS, measured


def deadline_status(done_on: date | None, due: date, as_of: date) -> str:
    if done_on is not None and done_on <= as_of:
        return PASS if done_on <= due else FAIL
    if as_of > due:
        return FAIL
    return AT_RISK if (due - as_of).days <= WARNING_DAYS else NOT_DUE
