"""The rules of teacher flow in the model clusters (S2 二(二)): the quality schools' yearly quota into weaker
schools (R-C2.a), its backbone share (R-C2.b) and term (R-C2.c), team inflow (R-C4), the exam-scored subjects of
inflow into weaker junior-secondary schools (R-C5), the receiving school's appraisal (R-C6), the duties of weaker
schools' teachers back from development (R-C7) and the clusters' staffing plans (R-C8).

Every rule judges the school year (1 September – 31 August) containing the as-of date, from the facts of
`staffing.selectors.cluster_flow`. A yearly requirement not yet met is `at_risk` while its year runs and `fail`
when checked on the year's last day (the daily refresh keeps that day's run); a deadline of the year before is
judged as a deadline (R-C6, R-C7).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.core.periods import SchoolYear, Semester
from junheng.organisations.choices import Stage, Tier
from junheng.staffing.choices import (
    DEVELOPMENT_KINDS,
    EXAM_SCORED_SUBJECTS,
    INFLOW_KINDS,
    RATED_GOOD,
    SUBJECT_ALIASES,
)

from .base import AT_RISK, FAIL, NO_DATA, NOT_DUE, PASS, Context, FindingData, Limit, Measure, Rule, register
from .periods import add_months, deadline_status

# Schools that teach the junior-secondary stage, whose inflow should cover the exam-scored subjects (R-C5).
JUNIOR_STAGES = (Stage.JUNIOR, Stage.NINE_YEAR, Stage.COMPLETE_SECONDARY, Stage.TWELVE_YEAR)
WORST_FIRST = (FAIL, AT_RISK, PASS, NOT_DUE)


def share_of(share: Decimal, count: int) -> int:
    """⌈share × count⌉, exactly: 20% of 9 is 1.8, so 2 teachers."""
    return int((share * count).to_integral_value(rounding=ROUND_CEILING))


def yearly_status(met: bool, flow: Any) -> str:
    """A requirement of the school year: short while the year runs is at risk, short on its last day fails."""
    if met:
        return PASS
    return FAIL if flow.as_of >= flow.school_year.end else AT_RISK


def worst(statuses: list[str]) -> str:
    return next(s for s in WORST_FIRST if s in statuses) if statuses else NOT_DUE


def term_end(start: date, years: Decimal) -> date:
    """The last day of a term of `years` from the start: 3 years from 2024-09-01 end on 2027-08-31."""
    return add_months(start, int(years * 12)) - timedelta(days=1)


def teacher_named(rotation: Any, day: date | None = None) -> str:
    name = f"{rotation.teacher.name}（{rotation.teacher.staff_number}）"
    return f"{name} {day.isoformat()}" if day else name


def subjects_taught(rotation: Any) -> set[str]:
    """The subjects a rotation teaches (its own list, else the teacher's subject), by the names of the exam."""
    text = rotation.subjects or rotation.teacher.subject
    return {SUBJECT_ALIASES.get(s, s) for s in re.split(r"[、,，;；/\s]+", text) if s}


def school_year_of(flow: Any) -> str:
    return str(flow.school_year)


SCHOOL_YEAR = Measure(gettext_lazy("School year"), "text")


class FlowRule(Rule):
    scope = "school"
    period = "school_year"
    reads = ("cluster_flow",)


# The quality schools' quota (R-C2) --------------------------------------------------------------------------------


def sent_by(flow: Any, school_id: int) -> list[Any]:
    """The year's rotations from the school into weaker schools of a model cluster it leads as a quality school."""
    return [r for r in flow.out_of(school_id) if flow.starts_in_year(r) and flow.is_cluster_inflow(r)]


@register
class RotationQuota(FlowRule):
    code = "R-C2.a"
    title = "优质校每年流入相对薄弱校的教师不低于符合交流轮岗条件教师的{R-C2.rotation_share:%}"
    keys = ("R-C2.rotation_share", "R-C1.rotation_eligible_years")
    measures = {
        "school_year": SCHOOL_YEAR,
        "eligible": Measure(gettext_lazy("Rotation-eligible teachers"), "count", "人"),
        "required": Measure(gettext_lazy("To send into weaker schools"), "count", "人"),
        "sent": Measure(gettext_lazy("Sent into weaker schools"), "count", "人"),
    }
    limits = {
        "R-C2.rotation_share": Limit(gettext_lazy("Sent, of the rotation-eligible teachers"), share=True),
        "R-C1.rotation_eligible_years": Limit(gettext_lazy("Continuous years that make a teacher eligible")),
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        share, years = (context.thresholds[k].value for k in self.keys)
        assert share is not None and years is not None
        eligible = flow.eligible_counts(int(years))
        for school in flow.members(Tier.QUALITY):
            count = eligible[school.pk]
            required = share_of(share, count)
            sent = len({r.teacher_id for r in sent_by(flow, school.pk)})
            if school.pk not in flow.staffed:
                status = NO_DATA  # no teacher recorded at the school on 1 September: eligibility is unknown
            elif count == 0:
                status = NOT_DUE
            else:
                status = yearly_status(sent >= required, flow)
            measured = {
                "school_year": school_year_of(flow),
                "eligible": count,
                "required": required,
                "sent": sent,
            }
            explanation = _(
                "School year %(year)s: %(eligible)d rotation-eligible teachers, %(required)d to send, %(sent)d "
                "sent into weaker schools of the cluster."
            ) % {"year": flow.school_year, "eligible": count, "required": required, "sent": sent}
            yield self.finding(context, school, "school", status, measured, explanation)


@register
class BackboneShare(FlowRule):
    code = "R-C2.b"
    title = "流入相对薄弱校的教师中骨干教师不低于{R-C2.backbone_share:%}"
    keys = ("R-C2.backbone_share",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "sent": Measure(gettext_lazy("Sent into weaker schools"), "count", "人"),
        "backbone": Measure(gettext_lazy("Of whom backbone teachers"), "count", "人"),
        "required": Measure(gettext_lazy("Backbone teachers needed"), "count", "人"),
    }
    limits = {"R-C2.backbone_share": Limit(gettext_lazy("Backbone teachers, of those sent"), share=True)}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        share = context.thresholds[self.keys[0]].value
        assert share is not None
        for school in flow.members(Tier.QUALITY):
            teachers = {r.teacher_id: r.teacher for r in sent_by(flow, school.pk)}
            backbone = sum(t.is_backbone for t in teachers.values())
            required = share_of(share, len(teachers))
            # “其中……骨干教师不低于30%” is a share of those sent: with no one sent it has nothing to count, and
            # the shortfall is the quota's (R-C2.a fails), not this share's — so not_due, not a second failure.
            status = NOT_DUE if not teachers else yearly_status(backbone >= required, flow)
            measured = {
                "school_year": school_year_of(flow),
                "sent": len(teachers),
                "backbone": backbone,
                "required": required,
            }
            explanation = _(
                "School year %(year)s: %(backbone)d backbone teachers among the %(sent)d sent, %(required)d needed."
            ) % {"year": flow.school_year, "backbone": backbone, "sent": len(teachers), "required": required}
            yield self.finding(context, school, "school", status, measured, explanation)


@register
class RotationTerm(FlowRule):
    """Each rotation counted by the quota is planned for the term; one that ends before it fails, naming its
    teacher — the year's rotations, and those of earlier years still inside their term this year."""

    code = "R-C2.c"
    title = "流动期限不少于{R-C2.rotation_years}年"
    keys = ("R-C2.rotation_years",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "rotations": Measure(gettext_lazy("Rotations inside their term"), "count", "人"),
        "planned_short": Measure(gettext_lazy("Planned for less than the term"), "list"),
        "ended_early": Measure(gettext_lazy("Ended before the term"), "list"),
        "ending_early": Measure(gettext_lazy("To end before the term"), "list"),
    }
    limits = {"R-C2.rotation_years": Limit(gettext_lazy("Term of a rotation"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        years = context.thresholds[self.keys[0]].value
        assert years is not None
        for school in flow.members(Tier.QUALITY):
            inside = [
                (r, term_end(r.start_date, years))
                for r in flow.out_of(school.pk)
                if r.start_date <= flow.school_year.end
                and term_end(r.start_date, years) >= flow.school_year.start
                and flow.is_cluster_inflow(r)
            ]
            planned_short = [teacher_named(r) for r, end in inside if r.planned_end < end]
            cut = [(r, r.actual_end) for r, end in inside if r.actual_end is not None and r.actual_end < end]
            ended = [teacher_named(r, day) for r, day in cut if day <= flow.as_of]
            ending = [teacher_named(r, day) for r, day in cut if day > flow.as_of]
            if not inside:
                status = NOT_DUE
            else:
                status = FAIL if planned_short or ended else AT_RISK if ending else PASS
            measured = {
                "school_year": school_year_of(flow),
                "rotations": len(inside),
                "planned_short": planned_short,
                "ended_early": ended,
                "ending_early": ending,
            }
            explanation = _(
                "School year %(year)s: %(rotations)d rotations inside their term; planned for less: %(short)s; "
                "ended before it: %(ended)s."
            ) % {
                "year": flow.school_year,
                "rotations": len(inside),
                "short": "、".join(planned_short) or _("none"),
                "ended": "、".join(ended + ending) or _("none"),
            }
            yield self.finding(context, school, "school", status, measured, explanation)


# Into the weaker schools: team inflow (R-C4), exam-scored subjects (R-C5), appraisal (R-C6) ------------------------


def inflow_into(flow: Any, school_id: int) -> list[Any]:
    """The year's inflow rotations into the school (from any school)."""
    return [r for r in flow.into(school_id) if r.kind in INFLOW_KINDS and flow.starts_in_year(r)]


@register
class TeamInflow(FlowRule):
    """A team inflow (the same team label, into the same weaker school) brings the number of teachers together:
    those starting in the semester the team's first teacher starts. The subject is the receiving school — the
    team is its, whichever schools its teachers come from. Team inflow is as needed (按需): a weaker school that
    received no team this year has nothing to judge."""

    code = "R-C4"
    title = "组团流入相对薄弱校的教师不少于{R-C4.team_inflow}人"
    keys = ("R-C4.team_inflow",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "teams": Measure(
            gettext_lazy("Teams"),
            each={
                "semester": Measure(gettext_lazy("semester"), "text"),
                "teachers": Measure(gettext_lazy("teachers starting together"), "count", "人"),
            },
        ),
        "short": Measure(gettext_lazy("Teams short of the number"), "list"),
    }
    limits = {"R-C4.team_inflow": Limit(gettext_lazy("Teachers of a team inflow"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        needed = context.thresholds[self.keys[0]]
        for school in flow.members(Tier.WEAKER):
            teams: dict[str, list[Any]] = defaultdict(list)
            for rotation in inflow_into(flow, school.pk):
                if rotation.team:
                    teams[rotation.team].append(rotation)
            if not teams:
                continue
            judged, statuses, short = {}, [], []
            for label, rotations in sorted(teams.items()):
                semester = Semester.containing(min(r.start_date for r in rotations))
                together = len(
                    {r.teacher_id for r in rotations if Semester.containing(r.start_date) == semester}
                )
                judged[label] = {"semester": str(semester), "teachers": together}
                if needed.met_by(together):
                    statuses.append(PASS)
                else:
                    short.append(label)
                    statuses.append(AT_RISK if flow.as_of <= semester.end else FAIL)
            measured = {"school_year": school_year_of(flow), "teams": judged, "short": short}
            explanation = _(
                "School year %(year)s: %(teams)d team inflows, short of the number: %(short)s."
            ) % {
                "year": flow.school_year,
                "teams": len(teams),
                "short": "、".join(short) or _("none"),
            }
            yield self.finding(context, school, "school", worst(statuses), measured, explanation)


@register
class ScoredSubjects(FlowRule):
    """The year's inflow into a weaker school with a junior-secondary stage covers the exam-scored subjects (the
    SPEC glossary's list): the share of inflow teachers teaching one and the subjects covered. None of them: fail."""

    code = "R-C5"
    title = "流入相对薄弱初中学校的教师重点覆盖学业水平考试计分科目"
    keys = ("R-C5.exam_subjects_covered",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "inflow": Measure(gettext_lazy("Inflow teachers"), "count", "人"),
        "scored": Measure(gettext_lazy("Of whom teaching exam-scored subjects"), "count", "人"),
        "scored_share": Measure(gettext_lazy("Share teaching exam-scored subjects"), "share"),
        "subjects_covered": Measure(gettext_lazy("Exam-scored subjects covered"), "list"),
    }
    limits = {"R-C5.exam_subjects_covered": Limit(gettext_lazy("Inflow covers the exam-scored subjects"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        for school in flow.members(Tier.WEAKER):
            if school.stage not in JUNIOR_STAGES:
                continue
            subjects = {r.teacher_id: subjects_taught(r) for r in inflow_into(flow, school.pk)}
            scored = [taught for taught in subjects.values() if taught & set(EXAM_SCORED_SUBJECTS)]
            covered = [s for s in EXAM_SCORED_SUBJECTS if any(s in taught for taught in scored)]
            measured = {
                "school_year": school_year_of(flow),
                "inflow": len(subjects),
                "scored": len(scored),
                "scored_share": len(scored) / len(subjects) if subjects else None,
                "subjects_covered": covered,
            }
            status = NOT_DUE if not subjects else PASS if scored else FAIL
            explanation = _(
                "School year %(year)s: %(scored)d of %(inflow)d inflow teachers teach exam-scored subjects "
                "(%(covered)s)."
            ) % {
                "year": flow.school_year,
                "scored": len(scored),
                "inflow": len(subjects),
                "covered": "、".join(covered) or _("none"),
            }
            yield self.finding(context, school, "school", status, measured, explanation)


@register
class HostAppraisal(FlowRule):
    """The receiving school appraises each inflow teacher for each school year the rotation runs in, by 31 August
    of that year: the previous year's appraisals (now due) and the running year's (at risk within the warning
    horizon). The subject is the receiving school."""

    code = "R-C6"
    title = "流入校负责流动教师在流动期内的绩效考核"
    keys = ("R-C6.appraised_by_host",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "due": Measure(gettext_lazy("Appraisals due (teacher × school year)"), "count", "份"),
        "appraised": Measure(gettext_lazy("Appraised in time"), "count", "份"),
        "missing": Measure(gettext_lazy("Not appraised or late"), "list"),
    }
    limits = {"R-C6.appraised_by_host": Limit(gettext_lazy("Each inflow teacher appraised each school year"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        years = [SchoolYear(flow.school_year.start_year - 1), flow.school_year]
        for school in flow.members(Tier.WEAKER):
            due = [
                (r, year)
                for r in flow.into(school.pk)
                if r.kind in INFLOW_KINDS
                for year in years
                if r.start_date <= min(year.end, flow.as_of) and r.end >= year.start
            ]
            if not due:
                continue
            statuses, missing = [], []
            for rotation, year in due:
                done = next(
                    (
                        a.appraised_on
                        for a in flow.appraisals.get(rotation.pk, ())
                        if a.school_year == year.start_year
                    ),
                    None,
                )
                status = deadline_status(done, year.end, flow.as_of)
                statuses.append(status)
                if status in (FAIL, AT_RISK):
                    missing.append(f"{teacher_named(rotation)} {year}")
            measured = {
                "school_year": school_year_of(flow),
                "due": len(due),
                "appraised": statuses.count(PASS),
                "missing": missing,
            }
            explanation = _(
                "School years %(years)s: %(appraised)d of %(due)d appraisals of inflow teachers done in time; "
                "missing or late: %(missing)s."
            ) % {
                "years": f"{years[0]}、{years[1]}",
                "appraised": statuses.count(PASS),
                "due": len(due),
                "missing": "、".join(missing) or _("none"),
            }
            status = next((s for s in (FAIL, AT_RISK, PASS) if s in statuses), NOT_DUE)
            yield self.finding(context, school, "school", status, measured, explanation)


# Back from development (R-C7) ---------------------------------------------------------------------------------------


def return_deadline(ended: date) -> date:
    """The end of the semester after the one the rotation ended in."""
    semester = Semester.containing(ended)
    return Semester.containing(semester.end + timedelta(days=1)).end


def rated_good(flow: Any, rotation: Any) -> bool:
    """The rotation's latest appraisal is excellent or good (考核优良)."""
    appraisals = sorted(flow.appraisals.get(rotation.pk, ()), key=lambda a: a.school_year)
    return bool(appraisals) and appraisals[-1].rating in RATED_GOOD


@register
class DutyOnReturn(FlowRule):
    """A weaker school's teacher back from development (挂职锻炼, 跟岗实践, 师徒带教) and rated good takes a
    teaching-management or research duty at the school by the end of the next semester: `at_risk` until then
    without one, then `fail`. The subject is the weaker school; one with no such teacher back has nothing to judge."""

    code = "R-C7"
    title = "考核优良的相对薄弱校派出教师回校后承担教学管理、教研指导等职责"
    keys = ("R-C7.duty_on_return",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "returned": Measure(gettext_lazy("Back and rated good"), "count", "人"),
        "with_duty": Measure(gettext_lazy("Of whom taking a duty in time"), "count", "人"),
        "without_duty": Measure(gettext_lazy("Without a duty (by)"), "list"),
    }
    limits = {"R-C7.duty_on_return": Limit(gettext_lazy("A duty on return, by the end of the next semester"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        earliest = SchoolYear(flow.school_year.start_year - 1).start
        for school in flow.members(Tier.WEAKER):
            back = [
                r
                for r in flow.out_of(school.pk)
                if r.kind in DEVELOPMENT_KINDS and earliest <= r.end < flow.as_of and rated_good(flow, r)
            ]
            if not back:
                continue
            statuses, without = [], []
            for rotation in back:
                deadline = return_deadline(rotation.end)
                if rotation.return_duty:
                    taken = rotation.return_duty_from is None or rotation.return_duty_from <= deadline
                    statuses.append(PASS if taken else FAIL)
                else:
                    statuses.append(AT_RISK if flow.as_of <= deadline else FAIL)
                if statuses[-1] != PASS:
                    without.append(teacher_named(rotation, deadline))
            measured = {
                "school_year": school_year_of(flow),
                "returned": len(back),
                "with_duty": statuses.count(PASS),
                "without_duty": without,
            }
            explanation = _(
                "%(back)d teachers back from development and rated good, %(duty)d taking a duty in time; "
                "without one: %(without)s."
            ) % {"back": len(back), "duty": statuses.count(PASS), "without": "、".join(without) or _("none")}
            yield self.finding(context, school, "school", worst(statuses), measured, explanation)


# The cluster's staffing plan (R-C8) ---------------------------------------------------------------------------------

PLAN_PARTS = {
    "recruitment": gettext_lazy("recruitment"),
    "flow": gettext_lazy("teacher flow"),
    "titles": gettext_lazy("professional titles"),
    "performance_pay": gettext_lazy("performance-pay increments"),
}


def _plan_part(code: str) -> str:
    return str(PLAN_PARTS.get(code, code))


@register
class StaffingPlanFiled(FlowRule):
    """Each model cluster has its staffing plan for the school year — recruitment, flow, titles and
    performance-pay increments — filed with the district bureau. S2 sets no date: short while the year runs is
    at risk, short on its last day fails."""

    code = "R-C8"
    title = "学区、集团制定教师招聘、流动、职称评聘、绩效工资增量分配方案并报区教育行政部门备案"
    scope = "cluster"
    keys = ("R-C8.staffing_plan_filed",)
    measures = {
        "school_year": SCHOOL_YEAR,
        "plan": Measure(gettext_lazy("Staffing plan for the year"), "yesno"),
        "missing_parts": Measure(gettext_lazy("Parts missing"), "list", key_label=_plan_part),
        "filed_on": Measure(gettext_lazy("Filed with the district on"), "date"),
    }
    limits = {"R-C8.staffing_plan_filed": Limit(gettext_lazy("A complete staffing plan filed each year"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        flow = context.cluster_flow
        for cluster in flow.clusters:
            plan = flow.plans.get(cluster.pk)
            missing = [part for part in PLAN_PARTS if plan is None or not getattr(plan, f"covers_{part}")]
            filed = plan is not None and plan.filed_on is not None and plan.filed_on <= flow.as_of
            measured = {
                "school_year": school_year_of(flow),
                "plan": plan is not None,
                "missing_parts": missing,
                "filed_on": plan.filed_on.isoformat() if filed and plan else None,
            }
            if plan is None:
                explanation = _("School year %(year)s: no staffing plan.") % {"year": flow.school_year}
            else:
                explanation = _("School year %(year)s: the plan lacks %(missing)s; %(filed)s.") % {
                    "year": flow.school_year,
                    "missing": "、".join(_plan_part(p) for p in missing) or _("nothing"),
                    "filed": _("filed with the district") if filed else _("not filed with the district"),
                }
            status = yearly_status(filed and not missing, flow)
            yield self.finding(context, cluster, "cluster", status, measured, explanation)
