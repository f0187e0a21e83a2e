"""Reminders of enrolment (R-F4): the rounds whose applications close soon, for the cluster office that closes
them and the member schools that enter their students' choices. They are no finding: they are read from the rounds
the user sees, like the rotations ending soon (policy.reminders)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext

from junheng.navigation import C, S, roles_of

from .course_choices import RoundStatus
from .models import EnrolmentRound

# Open rounds whose applications close from the day to this many days on: a week leaves a school the time to
# collect and enter its students' choices.
CLOSING_WITHIN = 7


def rounds_closing(user: Any, as_of: date, limit: int = 50) -> list[EnrolmentRound]:
    """For a cluster office or a member school, the open rounds of its clusters closing from the day to
    CLOSING_WITHIN days on, soonest first: one query. A bureau or the commission runs no round day to day."""
    if not roles_of(user) & {C, S}:
        return []
    return list(
        EnrolmentRound.objects.restrict(user)
        .filter(status=RoundStatus.OPEN, closes_on__range=(as_of, as_of + timedelta(days=CLOSING_WITHIN)))
        .select_related("cluster")
        .order_by("closes_on", "cluster__name", "pk")[:limit]
    )


def closing_lines(rounds: Sequence[EnrolmentRound]) -> list[str]:
    """One line per round, as the daily digest prints and mails it."""
    return [
        gettext("[Closing soon] Course applications · %(round)s, close %(date)s")
        % {"round": round_, "date": round_.closes_on}
        for round_ in rounds
    ]
