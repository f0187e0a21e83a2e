"""Sections 1–3: the cluster's schools, its quality resources and their spread, the gaps between its schools."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from junheng.core.editions import thresholds_on
from junheng.organisations.choices import Tier
from junheng.organisations.models import Cluster, ClusterMembership

from ..analysis import STANDARD_KEYS, monitoring_day
from ..balance import totals_by_year
from ..models import (
    ClusterResult,
    ResourceRecord,
)
from ..models.balance import ResourceIndicator
from ..selectors import resource_records_of, resource_spreads
from .document import Chart, Section, Table, number, percent

BETWEEN_SCHOOL_KEY = STANDARD_KEYS[1]


def overview(cluster: Cluster, members: list[ClusterMembership], year: int) -> Section:
    weaker = sum(1 for m in members if m.tier == Tier.WEAKER)
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


def resources(cluster: Cluster, year: int) -> Section:
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


def gaps(cluster: Cluster, year: int) -> Section:
    results = list(
        ClusterResult.objects.filter(cluster=cluster, year__lte=year).order_by("stage", "subject", "year")
    )
    section = Section(_("3. Gaps between the schools"))
    line = thresholds_on(monitoring_day(year), [BETWEEN_SCHOOL_KEY])[BETWEEN_SCHOOL_KEY]
    section.paragraphs.append(
        _("The model standard asks for a between-school share of variance below %(line)s (%(source)s).")
        % {"line": number(line.value, 2), "source": line.source}
    )
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
                float(line.value or 0),
            )
        )
    return section
