"""The rules of shared courses in the model clusters (S2 二(三)1, R-D1): each member school offers at least one
shared course each semester (R-D1.a), the cluster's shareable courses are at least five in the semester (R-D1.b)
and their number grows year on year (R-D1.c).

The semester and the school year are those containing the as-of date; the facts come from
`sharing.course_selectors.cluster_courses`, read once per run however many of these rules apply. A requirement
not yet met is `at_risk` while its period runs and `fail` when checked on the period's last day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.sharing.course_selectors import ClusterCourses, cluster_courses

from .base import AT_RISK, FAIL, NOT_DUE, PASS, Context, FindingData, Limit, Measure, Rule, register


def facts_of(context: Context) -> ClusterCourses:
    """The courses' facts of the run, read by the first of these rules and kept on the context for the others (the
    engine's context names the facts of other apps; these come with this module, so it keeps its own)."""
    found: ClusterCourses | None = context.__dict__.get("_cluster_courses")
    if found is None:
        district = context.districts[0] if len(context.districts) == 1 else None
        found = context.__dict__["_cluster_courses"] = cluster_courses(context.as_of, district)
    return found


def period_status(met: bool, as_of: date, last_day: date) -> str:
    if met:
        return PASS
    return FAIL if as_of >= last_day else AT_RISK


SEMESTER = Measure(gettext_lazy("Semester"), "text")
SCHOOL_YEAR = Measure(gettext_lazy("School year"), "text")


class CourseRule(Rule):
    period = "semester"


@register
class CoursesPerSchool(CourseRule):
    code = "R-D1.a"
    title = "学区、集团内每校每学期至少有{R-D1.shared_courses_per_school}门共享课程"
    scope = "school"
    keys = ("R-D1.shared_courses_per_school",)
    measures = {
        "semester": SEMESTER,
        "courses": Measure(gettext_lazy("Shared courses offered"), "count", "门"),
        "clusters_short": Measure(gettext_lazy("Clusters it offers too few in"), "list"),
    }
    limits = {"R-D1.shared_courses_per_school": Limit(gettext_lazy("Shared courses per school per semester"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        facts = facts_of(context)
        least = context.thresholds[self.keys[0]].value
        assert least is not None
        clusters: dict[int, list[Any]] = {}
        schools: dict[int, Any] = {}
        for cluster in facts.clusters:
            for school in facts.members.get(cluster.pk, []):
                clusters.setdefault(school.pk, []).append(cluster)
                schools[school.pk] = school
        for school_id, school in schools.items():
            counts = {c.name: facts.offered[(c.pk, school_id)] for c in clusters[school_id]}
            short = sorted(name for name, n in counts.items() if n < least)
            status = period_status(not short, context.as_of, facts.semester.end)
            measured = {
                "semester": str(facts.semester),
                "courses": sum(counts.values()),
                "clusters_short": short,
            }
            explanation = _("%(semester)s: %(courses)d shared courses offered; too few in %(short)s.") % {
                "semester": facts.semester,
                "courses": sum(counts.values()),
                "short": "、".join(short) or "—",
            }
            yield self.finding(context, school, "school", status, measured, explanation)


@register
class ShareableCourses(CourseRule):
    code = "R-D1.b"
    title = "学区、集团每学期可共享课程不低于{R-D1.shareable_courses}门"
    scope = "cluster"
    keys = ("R-D1.shareable_courses",)
    measures = {
        "semester": SEMESTER,
        "courses": Measure(gettext_lazy("Shareable courses"), "count", "门"),
        "schools": Measure(gettext_lazy("Member schools"), "count", "所"),
    }
    limits = {"R-D1.shareable_courses": Limit(gettext_lazy("Shareable courses per semester"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        facts = facts_of(context)
        least = context.thresholds[self.keys[0]].value
        assert least is not None
        for cluster in facts.clusters:
            members = facts.members.get(cluster.pk, [])
            courses = facts.in_semester(cluster.pk)
            status = (
                NOT_DUE if not members else period_status(courses >= least, context.as_of, facts.semester.end)
            )
            measured = {"semester": str(facts.semester), "courses": courses, "schools": len(members)}
            explanation = _(
                "%(semester)s: %(courses)d shareable courses in the cluster, %(least)s needed."
            ) % {
                "semester": facts.semester,
                "courses": courses,
                "least": f"{least.normalize():f}",
            }
            yield self.finding(context, cluster, "cluster", status, measured, explanation)


@register
class CoursesGrow(CourseRule):
    """Counted per school year (both semesters), a course once however many semesters it runs (its school and
    title): more this year than the year before. A first year after none recorded grows from zero."""

    code = "R-D1.c"
    title = "学区、集团可共享课程逐年增加"
    scope = "cluster"
    period = "school_year"
    keys = ("R-D1.shareable_courses_growth",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "this_year": Measure(gettext_lazy("Shareable courses this school year"), "count", "门"),
        "last_year": Measure(gettext_lazy("Shareable courses the school year before"), "count", "门"),
    }
    limits = {"R-D1.shareable_courses_growth": Limit(gettext_lazy("More than the school year before"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        facts = facts_of(context)
        year = facts.semester.school_year
        for cluster in facts.clusters:
            now, before = facts.this_year[cluster.pk], facts.last_year[cluster.pk]
            if not facts.members.get(cluster.pk):
                status = NOT_DUE
            else:
                status = period_status(now > before, context.as_of, year.end)
            measured = {"school_year": str(year), "this_year": now, "last_year": before}
            explanation = _(
                "School year %(year)s: %(now)d shareable courses, %(before)d the year before."
            ) % {
                "year": year,
                "now": now,
                "before": before,
            }
            yield self.finding(context, cluster, "cluster", status, measured, explanation)
