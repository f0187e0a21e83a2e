"""Scoped reads of the programme's work, shaped for the compliance engine: a fixed number of queries whatever the
number of pairings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from .models import (
    Evaluation,
    Interaction,
    InteractionKind,
    Pairing,
    ProgrammeRound,
    ResidentAssignment,
    ReviewEvent,
)


@dataclass
class PairingFacts:
    pairing: Pairing
    residents: list[ResidentAssignment]
    on_site_dates: list[Any]  # dates of on-site interactions, sorted
    baseline: Any  # BaselineAssessment | None
    plan: Any  # ThreeYearPlan | None
    evaluations: dict[str, Evaluation] = field(default_factory=dict)


def rounds_between(start: Any, end: Any) -> list[ProgrammeRound]:
    return list(ProgrammeRound.objects.filter(start_date__lte=end, end_date__gte=start))


def pairing_facts(rounds: Iterable[ProgrammeRound], district_code: str | None = None) -> list[PairingFacts]:
    pairings = (
        Pairing.objects.with_parties()
        .filter(round__in=list(rounds))
        .select_related("baseline", "plan")
        .prefetch_related(
            Prefetch("residents", queryset=ResidentAssignment.objects.order_by("start_date")),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.filter(kind=InteractionKind.ON_SITE)
                .only("pairing", "date")
                .order_by("date"),
            ),
            "evaluations",
        )
        .order_by("round", "kind", "sequence")
    )
    if district_code:
        pairings = pairings.filter(supported_school__district__code=district_code)
    return [
        PairingFacts(
            pairing=p,
            residents=list(p.residents.all()),
            on_site_dates=[i.date for i in p.interactions.all()],
            baseline=getattr(p, "baseline", None),
            plan=getattr(p, "plan", None),
            evaluations={e.kind: e for e in p.evaluations.all()},
        )
        for p in pairings
    ]


def review_events(rounds: Iterable[ProgrammeRound]) -> list[ReviewEvent]:
    return list(ReviewEvent.objects.filter(round__in=list(rounds)).select_related("district"))
