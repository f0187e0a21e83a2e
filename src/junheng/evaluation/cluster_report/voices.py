"""Sections 6–8: satisfaction, green indicators and the principals' appraisal."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from junheng.organisations.models import Cluster, School

from ..models import (
    GreenIndicatorRecord,
    PrincipalAppraisal,
    Survey,
)
from ..models.balance import GreenIndex
from ..surveys import satisfaction_by_cluster, satisfaction_by_school
from .document import Chart, Section, Table, number, percent


def satisfaction(cluster: Cluster, shown: list[School], year: int) -> Section:
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


def green_indicators(shown: list[School], year: int) -> Section:
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


def appraisal(shown: list[School], year: int) -> Section:
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
