"""The cluster evaluation report (R-E2): one cluster as a whole in one monitoring year — its schools, the change of
its quality resources, the gaps between its schools, the lead school's reach, its members' improvement, the
satisfaction of students and parents, the green indicators and the principals' appraisal.

`cluster_report` gathers what the platform holds into sections of text, tables and charts; `rendering` turns them
into Excel, Word or PDF. Nothing is collected again for the report (R-E5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.periods import SchoolYear
from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on
from junheng.staffing.selectors import cluster_year_rotations

from ..analysis import monitoring_day
from ..models import ClusterResult
from .document import Chart, Report, Section, Table
from .quality import gaps, overview, resources
from .reach import FlowFigures, flow_figures, improvement, lead_school
from .voices import appraisal, green_indicators, satisfaction

__all__ = [
    "Chart",
    "FlowFigures",
    "Report",
    "Section",
    "Table",
    "cluster_report",
    "report_year",
    "teacher_flow_figures",
]


def report_year(cluster: Cluster) -> int | None:
    """The cluster's latest monitoring year."""
    return (
        ClusterResult.objects.filter(cluster=cluster).order_by("-year").values_list("year", flat=True).first()
    )


def _members(cluster: Cluster, year: int, viewer: Any) -> tuple[list[ClusterMembership], list[School]]:
    """The cluster's memberships as it stood at the end of the school year of the monitoring, and the member
    schools whose own records the viewer reaches."""
    members = list(
        ClusterMembership.objects.filter(in_force_on(monitoring_day(year)), cluster=cluster)
        .select_related("school")
        .order_by("tier")
    )
    visible = School.objects.restrict(viewer) if viewer is not None else School.objects.all()
    reached = set(visible.filter(pk__in=[m.school_id for m in members]).values_list("pk", flat=True))
    return members, [m.school for m in members if m.school_id in reached]


def teacher_flow_figures(
    cluster: Cluster,
    year: int,
    viewer: Any = None,
    members: tuple[list[ClusterMembership], list[School]] | None = None,
) -> FlowFigures:
    """The teachers who moved in the school year of the monitoring year (its results are taken on 30 June)."""
    memberships, shown = members or _members(cluster, year, viewer)
    school_year = SchoolYear.containing(monitoring_day(year)).start_year
    return flow_figures(cluster, memberships, shown, cluster_year_rotations(cluster, school_year))


def cluster_report(cluster: Cluster, year: int, viewer: Any = None) -> Report:
    """The report as `viewer` may read it: the cluster's figures in full, but one school's own records (results,
    green indicators, appraisal, satisfaction) only for the schools the viewer reaches. No viewer: an operator's
    command, the whole city."""
    members, shown = _members(cluster, year, viewer)
    figures = teacher_flow_figures(cluster, year, viewer, (members, shown))
    return Report(
        title=_("Evaluation report of %(cluster)s") % {"cluster": cluster.name},
        subtitle=_("%(district)s · monitoring year %(year)d · made %(today)s")
        % {"district": cluster.district, "year": year, "today": date.today().isoformat()},
        sections=[
            overview(cluster, members, year),
            resources(cluster, year),
            gaps(cluster, year),
            lead_school(cluster, members, year, figures),
            improvement(members, shown, year, figures),
            satisfaction(cluster, shown, year),
            green_indicators(shown, year),
            appraisal(shown, year),
        ],
    )
