"""Sections 4–5: the lead school's reach and the members' improvement, each with the teachers who moved in the
school year of the monitoring: rotations out of the lead school, and inflow into the cluster's weaker schools
(filed rotations only, `staffing.selectors.COUNTED_STATUSES`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.organisations.choices import Tier
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.staffing.models import Rotation
from junheng.staffing.selectors import ClusterYearRotations

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


def lead_school(
    cluster: Cluster,
    members: list[ClusterMembership],
    year: int,
    figures: FlowFigures,
) -> Section:
    section = Section(_("4. The lead school's reach"))
    lead = cluster.lead_school
    if lead is None:
        section.paragraphs.append(_("The cluster has no lead school recorded."))
        return section
    _lead_rotations(section, figures)
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


def _teachers(rotations: list[Rotation]) -> tuple[int, int]:
    """(teachers, of whom backbone teachers), each teacher once."""
    teachers = {r.teacher_id: r.teacher for r in rotations}
    return len(teachers), sum(t.is_backbone for t in teachers.values())


@dataclass
class FlowFigures:
    """Teachers who moved in the school year (R-E2), as the report and the evaluation page show them: (teachers,
    of whom backbone) out of the lead school and into the weaker schools; by receiving school for a viewer who
    reaches the lead school, and by weaker school for the weaker schools it reaches."""

    school_year: str
    lead: str
    lead_out: tuple[int, int]
    lead_into_weaker: tuple[int, int]
    by_host: list[list[Any]]  # receiving school, tier, teachers, backbone
    into_weaker: tuple[int, int]
    by_weaker: list[list[Any]]  # weaker school, received, from the cluster, from the lead school, backbone


def flow_figures(
    cluster: Cluster, members: list[ClusterMembership], shown: list[School], moved: ClusterYearRotations
) -> FlowFigures:
    lead = cluster.lead_school
    inflow = moved.into_weaker()
    inflow_ids = {r.pk for r in inflow}
    out = moved.out_of(lead.pk) if lead else []
    reached = {s.pk for s in shown}
    by_host: dict[int, list[Rotation]] = defaultdict(list)
    for rotation in out:
        by_host[rotation.host_id].append(rotation)
    by_weaker = []
    for membership in members:
        if membership.tier != Tier.WEAKER or membership.school_id not in reached:
            continue
        received = [r for r in inflow if r.host_id == membership.school_id]
        teachers, backbone = _teachers(received)
        inside = [r for r in received if moved.tier_on(r.from_school_id, r.start_date) is not None]
        from_lead = [r for r in received if lead is not None and r.from_school_id == lead.pk]
        by_weaker.append(
            [membership.school.name, teachers, _teachers(inside)[0], _teachers(from_lead)[0], backbone]
        )
    return FlowFigures(
        school_year=str(moved.school_year),
        lead=lead.name if lead else "",
        lead_out=_teachers(out),
        lead_into_weaker=_teachers([r for r in out if r.pk in inflow_ids]),
        by_host=[
            [rotations[0].host.name, _tier_label(moved, rotations[0]), *_teachers(rotations)]
            for rotations in sorted(by_host.values(), key=lambda rs: rs[0].host.name)
        ]
        if lead is not None and lead.pk in reached
        else [],
        into_weaker=_teachers(inflow),
        by_weaker=by_weaker,
    )


def _lead_rotations(section: Section, figures: FlowFigures) -> None:
    section.paragraphs.append(
        _(
            "School year %(year)s: %(teachers)d teachers of the lead school rotated out (%(backbone)d backbone "
            "teachers), %(weaker)d of them into the cluster's weaker schools (%(weaker_backbone)d backbone)."
        )
        % {
            "year": figures.school_year,
            "teachers": figures.lead_out[0],
            "backbone": figures.lead_out[1],
            "weaker": figures.lead_into_weaker[0],
            "weaker_backbone": figures.lead_into_weaker[1],
        }
    )
    if figures.by_host:
        section.tables.append(Table([str(h) for h in HOST_HEADER], figures.by_host))


def _tier_label(moved: ClusterYearRotations, rotation: Rotation) -> str:
    tier = moved.tier_on(rotation.host_id, rotation.start_date)
    return str(Tier(tier).label) if tier else _("outside the cluster")


HOST_HEADER = (
    gettext_lazy("Receiving school"),
    gettext_lazy("Tier"),
    gettext_lazy("Teachers rotated out"),
    gettext_lazy("Of whom backbone teachers"),
)
WEAKER_HEADER = (
    gettext_lazy("Weaker school"),
    gettext_lazy("Teachers received"),
    gettext_lazy("From the cluster's schools"),
    gettext_lazy("From the lead school"),
    gettext_lazy("Of whom backbone teachers"),
)


def _weaker_inflow(section: Section, figures: FlowFigures) -> None:
    section.paragraphs.append(
        _(
            "School year %(year)s: the cluster's weaker schools received %(teachers)d teachers by exchange "
            "rotation or team inflow, %(backbone)d of them backbone teachers."
        )
        % {
            "year": figures.school_year,
            "teachers": figures.into_weaker[0],
            "backbone": figures.into_weaker[1],
        }
    )
    if figures.by_weaker:
        section.tables.append(Table([str(h) for h in WEAKER_HEADER], figures.by_weaker))


def _difference(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _gap(lead_id: int, others: list[Any], results: dict[int, SchoolResult]) -> float | None:
    rows = [results[s.pk] for s in others if s.pk in results]
    students = sum(r.students for r in rows)
    if lead_id not in results or not students:
        return None
    return results[lead_id].mean - sum(r.mean * r.students for r in rows) / students


def improvement(
    members: list[ClusterMembership], shown: list[School], year: int, figures: FlowFigures
) -> Section:
    section = Section(_("5. The members' improvement"))
    _weaker_inflow(section, figures)
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
