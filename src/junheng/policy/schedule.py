"""Keeping the findings fresh, so that no one starts from an empty board: every started edition is checked for
the whole city once a day (`junheng compliance_schedule`, also run by `junheng setup`), and an import of pairing
work queues a check of the districts it touched (run by `junheng db_worker`)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.db import transaction

from junheng.organisations.models import District

from .engine import compliance_run
from .models import ComplianceRun, PolicyEdition


def editions_to_check(day: date) -> list[PolicyEdition]:
    """The editions that have begun by the day, ended or not (an ended round's findings stay on the board)."""
    return list(PolicyEdition.objects.filter(period_start__lte=day).order_by("code"))


def daily_runs(day: date) -> list[ComplianceRun]:
    """A city-wide run of each edition as of the day, unless one was made already: running twice a day adds
    nothing."""
    done = set(
        ComplianceRun.objects.filter(as_of=day, district__isnull=True).values_list("edition", flat=True)
    )
    return [
        compliance_run(actor=None, edition=edition, as_of=day)[0]
        for edition in editions_to_check(day)
        if edition.pk not in done
    ]


def district_runs(district_id: int, day: date) -> list[ComplianceRun]:
    district = District.objects.get(pk=district_id)
    return [
        compliance_run(actor=None, edition=edition, as_of=day, district=district)[0]
        for edition in editions_to_check(day)
    ]


def districts_touched(instances: list[Any]) -> set[int]:
    """The districts whose pairings (or own review events) the saved records are about."""
    found = set()
    for instance in instances:
        pairing = getattr(instance, "pairing", None)
        if pairing is not None:
            found.add(pairing.supported_school.district_id)
        elif getattr(instance, "district_id", None) and hasattr(instance, "round_id"):
            found.add(instance.district_id)  # a district's review event
    return found


def queue_district_runs(sender: Any, actor: Any, instances: list[Any], **kwargs: Any) -> None:
    """After an import of pairing work commits, each district touched is checked again in the background."""
    from .tasks import district_compliance

    for district_id in sorted(districts_touched(instances)):
        transaction.on_commit(partial(district_compliance.enqueue, district_id))
