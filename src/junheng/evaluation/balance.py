"""Resource balance (R-E2, national 2017 method): how evenly the seven resource indicators spread over the schools
of a district or cluster, and how a cluster's total of quality resources changes over the years.

The spread is SPEC's student-weighted coefficient of variation, the schools' students as weights. A group needs
two schools in a stage for a spread; the method's limits (≤ 0.50 primary, ≤ 0.45 junior) are edition thresholds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from junheng.organisations.choices import Stage

from .models.balance import ResourceIndicator, ResourceRecord

CV_LIMIT_KEYS = {Stage.PRIMARY: "R-E2.resource_cv_primary", Stage.JUNIOR: "R-E2.resource_cv_junior"}


def weighted_cv(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """SPEC: X̄ = ΣP_iX_i / P, S = sqrt(Σ (P_i/P)(X_i − X̄)²), CV = S / X̄; None for fewer than two schools or a
    zero mean."""
    total = sum(weights)
    if len(values) < 2 or total <= 0:
        return None
    mean = sum(p * x for p, x in zip(weights, values, strict=True)) / total
    if mean == 0:
        return None
    spread = math.sqrt(sum(p / total * (x - mean) ** 2 for p, x in zip(weights, values, strict=True)))
    return spread / mean


@dataclass(frozen=True)
class Spread:
    """One indicator's spread over one group's schools in one stage and school year."""

    group: Any  # a District or a Cluster
    school_year: int
    stage: str
    indicator: str
    schools: int
    cv: float | None
    limit: Decimal | None

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def indicator_label(self) -> str:
        return str(ResourceIndicator(self.indicator).label)

    @property
    def meets(self) -> bool | None:
        if self.cv is None or self.limit is None:
            return None
        return Decimal(str(self.cv)) <= self.limit


def spreads(
    records: Iterable[ResourceRecord], groups_of: dict[int, list[Any]], limits: dict[str, Decimal | None]
) -> list[Spread]:
    """The spread of every indicator per group, stage and school year; `groups_of` maps a school to the groups it
    counts in, `limits` a stage to its edition limit."""
    members: dict[tuple[Any, int, str], list[ResourceRecord]] = defaultdict(list)
    for record in records:
        for group in groups_of.get(record.school_id, []):
            members[(group, record.school_year, record.stage)].append(record)
    return [
        Spread(
            group=group,
            school_year=year,
            stage=stage,
            indicator=indicator,
            schools=len(rows),
            cv=weighted_cv([r.indicator(indicator) for r in rows], [r.students or 0 for r in rows]),
            limit=limits.get(stage),
        )
        for (group, year, stage), rows in members.items()
        for indicator in ResourceIndicator.values
    ]


@dataclass(frozen=True)
class ResourceTotals:
    """A cluster's quality resources of one school year, summed over its schools, with the change on the year
    before (None for the first year recorded)."""

    school_year: int
    totals: dict[str, Decimal]
    change: dict[str, Decimal] | None


def totals_by_year(records: Iterable[ResourceRecord]) -> list[ResourceTotals]:
    summed: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for record in records:
        for indicator in ResourceIndicator.values:
            summed[record.school_year][indicator] += Decimal(getattr(record, indicator))
    years = sorted(summed)
    return [
        ResourceTotals(
            school_year=year,
            totals=dict(summed[year]),
            change=(
                {k: v - summed[year - 1][k] for k, v in summed[year].items()} if year - 1 in summed else None
            ),
        )
        for year in years
    ]
