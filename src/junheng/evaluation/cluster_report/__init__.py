"""The cluster evaluation report (R-E2): one cluster as a whole in one monitoring year — its schools, the change of
its quality resources, the gaps between its schools, the lead school's reach, its members' improvement, the
satisfaction of students and parents, the green indicators and the principals' appraisal.

`cluster_report` gathers what the platform holds into sections of text, tables and charts; `rendering` turns them
into Excel, Word or PDF. Nothing is collected again for the report (R-E5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on

from ..analysis import monitoring_day
from ..models import ClusterResult
from .document import Chart, Report, Section, Table
from .quality import gaps, overview, resources
from .reach import improvement, lead_school
from .voices import appraisal, green_indicators, satisfaction

__all__ = ["Chart", "Report", "Section", "Table", "cluster_report", "report_year"]


def report_year(cluster: Cluster) -> int | None:
    """The cluster's latest monitoring year."""
    return (
        ClusterResult.objects.filter(cluster=cluster).order_by("-year").values_list("year", flat=True).first()
    )


def cluster_report(cluster: Cluster, year: int, viewer: Any = None) -> Report:
    """The report as `viewer` may read it: the cluster's figures in full, but one school's own records (results,
    green indicators, appraisal, satisfaction) only for the schools the viewer reaches. No viewer: an operator's
    command, the whole city."""
    day = monitoring_day(year)  # the cluster as it stood at the end of the school year of the monitoring
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
            overview(cluster, members, year),
            resources(cluster, year),
            gaps(cluster, year),
            lead_school(cluster, members, year),
            improvement(members, shown, year),
            satisfaction(cluster, shown, year),
            green_indicators(shown, year),
            appraisal(shown, year),
        ],
    )
