"""The cluster evaluation report (R-E2): one cluster as a whole in one monitoring year — its schools, the change of
its quality resources, the gaps between its schools, the lead school's reach, its members' improvement, the
satisfaction of students and parents, the green indicators and the principals' appraisal.

`cluster_report` gathers what the platform holds into sections of text, tables and charts; `rendering` turns them
into Excel, Word or PDF. Nothing is collected again for the report (R-E5)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on

from .balance import totals_by_year
from .models import (
    ClusterResult,
    GreenIndicatorRecord,
    PrincipalAppraisal,
    ResourceRecord,
    SchoolResult,
    Survey,
)
from .models.balance import GreenIndex, ResourceIndicator
from .selectors import resource_records_of, resource_spreads
from .surveys import satisfaction_by_cluster, satisfaction_by_school


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    """Horizontal bars, one per label; `reference` draws a line (a limit, the district's value)."""

    title: str
    labels: list[str]
    values: list[float]
    reference: float | None = None


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


def percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


def number(value: Any, places: int = 2) -> str:
    return "—" if value is None else f"{float(value):.{places}f}"


def report_year(cluster: Cluster) -> int | None:
    """The cluster's latest monitoring year."""
    return (
        ClusterResult.objects.filter(cluster=cluster).order_by("-year").values_list("year", flat=True).first()
    )


def cluster_report(cluster: Cluster, year: int, viewer: Any = None) -> Report:
    """The report as `viewer` may read it: the cluster's figures in full, but one school's own records (results,
    green indicators, appraisal, satisfaction) only for the schools the viewer reaches. No viewer: an operator's
    command, the whole city."""
    day = date(year, 6, 30)  # the cluster as it stood at the end of the school year of the monitoring
    members = list(
        ClusterMembership.objects.filter(in_force_on(day), cluster=cluster)
        .select_related("school")
        .order_by("tier")
    )
    visible = School.objects.restrict(viewer) if viewer is not None else School.objects.all()
    reached = set(visible.filter(pk__in=[m.school_id for m in members]).values_list("pk", flat=True))
    shown = [m.school for m in members if m.school_id in reached]
    return Report(
        title=_("Evaluation report of %(cluster)s") % {"cluster": cluster.name},
        subtitle=_("%(district)s · monitoring year %(year)d · made %(today)s")
        % {"district": cluster.district, "year": year, "today": date.today().isoformat()},
        sections=[
            _overview(cluster, members, year),
            _resources(cluster, year),
            _gaps(cluster, year),
            _lead_school(cluster, members, year),
            _improvement(members, shown, year),
            _satisfaction(cluster, shown, year),
            _green_indicators(shown, year),
            _appraisal(shown, year),
        ],
    )


def _overview(cluster: Cluster, members: list[ClusterMembership], year: int) -> Section:
    weaker = sum(1 for m in members if m.tier == "weaker")
    return Section(
        _("1. The cluster"),
        paragraphs=[
            _(
                "%(cluster)s (%(kind)s, %(district)s), lead school %(lead)s; on 30 June %(year)d it had %(n)d member "
                "schools, %(weaker)d of them weaker schools."
            )
            % {
                "cluster": cluster.name,
                "kind": cluster.get_kind_display(),
                "district": cluster.district,
                "lead": cluster.lead_school or "—",
                "year": year,
                "n": len(members),
                "weaker": weaker,
            }
        ],
        tables=[
            Table(
                [_("School"), _("Stage"), _("Tier")],
                [[m.school.name, m.school.get_stage_display(), m.get_tier_display()] for m in members],
            )
        ],
    )


def _resources(cluster: Cluster, year: int) -> Section:
    section = Section(_("2. Quality resources"))
    totals = [t for t in totals_by_year(resource_records_of(cluster)) if t.school_year <= year]
    if not totals:
        section.paragraphs.append(_("No resources are recorded for the cluster's schools."))
        return section
    section.tables.append(
        Table(
            [_("School year"), *ResourceRecord.quantity_labels()],
            [
                [
                    f"{t.school_year}–{t.school_year + 1}",
                    *(
                        number(t.totals[i], 0)
                        + (
                            ""
                            if t.change is None
                            else f"（{'+' if t.change[i] >= 0 else ''}{number(t.change[i], 0)}）"
                        )
                        for i in ResourceIndicator.values
                    ),
                ]
                for t in totals
            ],
        )
    )
    latest = totals[-1].school_year
    spreads = resource_spreads(latest, clusters=[cluster])
    section.paragraphs.append(
        _(
            "The schools' resources summed by school year, with the change on the year before in brackets; then "
            "the spread of each indicator over the schools in %(year)d–%(next)d, against the national method's limits."
        )
        % {"year": latest, "next": latest + 1}
    )
    section.tables.append(
        Table(
            [
                _("Stage"),
                _("Indicator"),
                _("Schools"),
                _("Coefficient of variation"),
                _("Limit"),
                _("Within"),
            ],
            [
                [
                    s.stage_label,
                    s.indicator_label,
                    s.schools,
                    number(s.cv, 3),
                    number(s.limit),
                    "—" if s.meets is None else _("Yes") if s.meets else _("No"),
                ]
                for s in spreads
            ],
        )
    )
    for stage in sorted({s.stage for s in spreads}):
        judged = [s for s in spreads if s.stage == stage and s.cv is not None]
        if judged:
            section.charts.append(
                Chart(
                    _("Coefficient of variation, %(stage)s") % {"stage": judged[0].stage_label},
                    [s.indicator_label for s in judged],
                    [s.cv or 0 for s in judged],
                    float(judged[0].limit) if judged[0].limit is not None else None,
                )
            )
    return section


def _gaps(cluster: Cluster, year: int) -> Section:
    results = list(
        ClusterResult.objects.filter(cluster=cluster, year__lte=year).order_by("stage", "subject", "year")
    )
    section = Section(_("3. Gaps between the schools"))
    section.tables.append(
        Table(
            [
                _("Year"),
                _("Stage"),
                _("Subject"),
                _("Between-school share"),
                _("Weighted CV"),
                _("Pass share"),
                _("District pass share"),
                _("Meets the model standard"),
            ],
            [
                [
                    r.year,
                    r.get_stage_display(),
                    r.subject,
                    number(r.between_school_share, 3),
                    number(r.weighted_cv, 3),
                    percent(r.pass_share),
                    percent(r.district_pass_share),
                    _("Yes") if r.meets_model_standard else _("No"),
                ]
                for r in results
            ],
        )
    )
    by_key: dict[tuple[str, str], list[ClusterResult]] = defaultdict(list)
    for r in results:
        by_key[(r.get_stage_display(), r.subject)].append(r)
    for (stage, subject), rows in by_key.items():
        first, last = rows[0], rows[-1]
        if (
            first.year != last.year
            and first.between_school_share is not None
            and last.between_school_share is not None
        ):
            section.paragraphs.append(
                _(
                    "%(stage)s %(subject)s: the between-school share went from %(before)s (%(first)d) to %(after)s (%(last)d)."
                )
                % {
                    "stage": stage,
                    "subject": subject,
                    "before": number(first.between_school_share, 3),
                    "after": number(last.between_school_share, 3),
                    "first": first.year,
                    "last": last.year,
                }
            )
    latest = [r for r in results if r.year == year and r.between_school_share is not None]
    if latest:
        section.charts.append(
            Chart(
                _("Between-school share of variance, %(year)d") % {"year": year},
                [f"{r.get_stage_display()}{r.subject}" for r in latest],
                [r.between_school_share or 0 for r in latest],
                0.15,
            )
        )
    return section


def _subject_means(schools: list[Any], year: int) -> dict[str, dict[int, SchoolResult]]:
    """subject → school id → result."""
    found: dict[str, dict[int, SchoolResult]] = defaultdict(dict)
    for r in SchoolResult.objects.filter(year=year, school__in=schools):
        found[r.subject][r.school_id] = r
    return found


def _lead_school(cluster: Cluster, members: list[ClusterMembership], year: int) -> Section:
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


def _improvement(members: list[ClusterMembership], shown: list[School], year: int) -> Section:
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


def _satisfaction(cluster: Cluster, shown: list[School], year: int) -> Section:
    section = Section(_("6. Satisfaction of students and parents"))
    surveys = Survey.objects.filter(district=cluster.district_id, year__in=(year, year + 1))
    by_school = satisfaction_by_school(surveys, shown)
    pooled = satisfaction_by_cluster(surveys, date(year + 1, 6, 30), [cluster])
    if not pooled:
        section.paragraphs.append(
            _("No survey answers from the cluster's schools in %(year)d–%(next)d.")
            % {"year": year, "next": year + 1}
        )
        return section
    section.paragraphs.append(
        _("Surveys: %(surveys)s. Satisfied: answers 满意 or 非常满意.")
        % {"surveys": "、".join(str(s) for s in surveys)}
    )
    section.tables.append(
        Table(
            [_("Name"), _("Respondents"), _("Satisfied (%)"), _("Mean (1–5)")],
            [
                [s.name, s.respondents, percent(s.satisfied_share), number(s.mean)]
                for s in [*pooled, *by_school]
            ],
        )
    )
    section.charts.append(
        Chart(
            _("Satisfied (%)"),
            [s.name for s in by_school],
            [100 * (s.satisfied_share or 0) for s in by_school],
            None if not pooled or pooled[0].satisfied_share is None else 100 * pooled[0].satisfied_share,
        )
    )
    return section


def _green_indicators(shown: list[School], year: int) -> Section:
    section = Section(_("7. Green indicators"))
    records = GreenIndicatorRecord.objects.filter(school__in=shown, year__lte=year + 1)
    latest: dict[int, GreenIndicatorRecord] = {}
    for record in records.select_related("school").order_by("year"):
        latest[record.school_id] = record
    if not latest:
        section.paragraphs.append(_("No green indicators recorded for the cluster's schools."))
        return section
    section.tables.append(
        Table(
            [_("School"), _("Year"), *(str(label) for label in GreenIndex.labels)],
            [
                [r.school.name, r.year, *(number(getattr(r, i), 1) for i in GreenIndex.values)]
                for r in latest.values()
            ],
        )
    )
    return section


def _appraisal(shown: list[School], year: int) -> Section:
    section = Section(_("8. Principals' appraisal"))
    appraisals = PrincipalAppraisal.objects.filter(school__in=shown, form__year=year)
    rows = [
        [
            a.school.name,
            a.principal_name,
            str(a.form),
            percent(a.form.cluster_share()),
            number(a.total),
            number(a.cluster_part),
        ]
        for a in appraisals.select_related("school", "form").prefetch_related("form__items")
    ]
    if not rows:
        section.paragraphs.append(_("No principal appraisals recorded for %(year)d.") % {"year": year})
        return section
    section.tables.append(
        Table(
            [
                _("School"),
                _("Principal"),
                _("Appraisal form"),
                _("Weight of cluster work"),
                _("Total score"),
                _("Points from cluster work"),
            ],
            rows,
        )
    )
    return section
