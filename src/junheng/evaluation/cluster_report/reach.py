"""Sections 4–5: the lead school's reach and the members' improvement."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from junheng.organisations.models import Cluster, ClusterMembership, School

from ..models import (
    SchoolResult,
)
from .document import Chart, Section, Table, number


def _subject_means(schools: list[Any], year: int) -> dict[str, dict[int, SchoolResult]]:
    """subject → school id → result."""
    found: dict[str, dict[int, SchoolResult]] = defaultdict(dict)
    for r in SchoolResult.objects.filter(year=year, school__in=schools):
        found[r.subject][r.school_id] = r
    return found


def lead_school(cluster: Cluster, members: list[ClusterMembership], year: int) -> Section:
    section = Section(_("4. The lead school's reach"))
    lead = cluster.lead_school
    if lead is None:
        section.paragraphs.append(_("The cluster has no lead school recorded."))
        return section
    others = [m.school for m in members if m.school_id != lead.pk]
    section.paragraphs.append(
        _(
            "Measured as the gap between the lead school's mean score and the other members' (weighted by students), "
            "this year and the year before: a gap that narrows shows the lead school's reach."
        )
    )
    rows = []
    last_year = _subject_means([lead, *others], year - 1)
    for subject, now in sorted(_subject_means([lead, *others], year).items()):
        before = last_year.get(subject, {})
        gaps = [_gap(lead.pk, others, results) for results in (now, before)]
        rows.append(
            [
                subject,
                number(now[lead.pk].mean if lead.pk in now else None, 1),
                number(gaps[0], 1),
                number(gaps[1], 1),
                number(_difference(*gaps), 1),
            ]
        )
    section.tables.append(
        Table(
            [
                _("Subject"),
                _("Lead school's mean"),
                _("Gap this year"),
                _("Gap last year"),
                _("Change of the gap"),
            ],
            rows,
        )
    )
    return section


def _difference(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _gap(lead_id: int, others: list[Any], results: dict[int, SchoolResult]) -> float | None:
    rows = [results[s.pk] for s in others if s.pk in results]
    students = sum(r.students for r in rows)
    if lead_id not in results or not students:
        return None
    return results[lead_id].mean - sum(r.mean * r.students for r in rows) / students


def improvement(members: list[ClusterMembership], shown: list[School], year: int) -> Section:
    section = Section(_("5. The members' improvement"))
    tiers = {m.school_id: m.get_tier_display() for m in members}
    results = SchoolResult.objects.filter(year=year, school__in=shown).select_related("school")
    rows = sorted(results, key=lambda r: (r.school.name, r.subject))
    section.tables.append(
        Table(
            [
                _("School"),
                _("Tier"),
                _("Subject"),
                _("Mean score"),
                _("Change on last year"),
                _("Value added"),
            ],
            [
                [
                    r.school.name,
                    tiers[r.school_id],
                    r.subject,
                    number(r.mean, 1),
                    number(r.change, 1),
                    number(r.value_added, 2),
                ]
                for r in rows
            ],
        )
    )
    added: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.value_added is not None:
            added[r.school.name].append(r.value_added)
    if added:
        section.charts.append(
            Chart(
                _("Value added, mean over subjects (points)"),
                list(added),
                [sum(v) / len(v) for v in added.values()],
                0,
            )
        )
    return section
