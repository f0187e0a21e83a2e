"""The rules of the hand-in-hand plan (S1): resident teams, interactions, baseline and plan, review events and
evaluations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.programmes.models import PlanStatus

from .base import (
    AT_RISK,
    FAIL,
    NOT_DUE,
    PASS,
    WARNING_DAYS,
    Context,
    FindingData,
    Limit,
    Measure,
    Rule,
    register,
)
from .periods import (
    add_months,
    calendar_periods,
    count_per_period_status,
    deadline_status,
    fraction_of_month,
    months_before,
)

# The hand-in-hand plan (S1) --------------------------------------------------------------------------------------


def _entrusted(context: Context) -> Iterator[Any]:
    return (f for f in context.pairings if f.pairing.kind == "entrusted")


def _mutual_growth(context: Context) -> Iterator[Any]:
    return (f for f in context.pairings if f.pairing.kind == "mutual_growth")


def team_on(residents: list[Any], day: date) -> tuple[int, int]:
    """(resident staff, of whom managers) stationed on the day."""
    present = [r for r in residents if r.start_date <= day and (r.end_date is None or r.end_date >= day)]
    return len(present), sum(r.role == "manager" for r in present)


@register
class ResidentTeam(Rule):
    code = "R-B3"
    title = "精准委托管理常驻团队不少于{R-B3.resident_staff}人，其中管理人员不少于{R-B3.resident_managers}人"
    scope = "pairing"
    reads = ("pairings",)
    period = "any_date"
    keys = ("R-B3.resident_staff", "R-B3.resident_managers")
    measures = {
        "resident_staff": Measure(gettext_lazy("Resident staff"), "count", "人"),
        "resident_managers": Measure(gettext_lazy("Of whom management staff"), "count", "人"),
        "date": Measure(gettext_lazy("Checked on"), "date"),
        "team_falls_short_on": Measure(gettext_lazy("The team falls short on"), "date"),
    }
    limits = {
        "R-B3.resident_staff": Limit(gettext_lazy("Resident staff")),
        "R-B3.resident_managers": Limit(gettext_lazy("Of whom management staff")),
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        need_staff, need_managers = (context.thresholds[k] for k in self.keys)

        def enough(day: date, residents: list[Any]) -> bool:
            staff, managers = team_on(residents, day)
            return need_staff.met_by(staff) and need_managers.met_by(managers)

        for facts in _entrusted(context):
            programme_round, as_of = facts.pairing.round, context.as_of
            staff, managers = team_on(facts.residents, as_of)
            measured = {"resident_staff": staff, "resident_managers": managers, "date": as_of.isoformat()}
            if as_of < programme_round.start_date:
                status = NOT_DUE
            elif not enough(as_of, facts.residents):
                status = FAIL
            else:
                departures = sorted(
                    {
                        r.end_date + timedelta(days=1)
                        for r in facts.residents
                        if r.end_date and as_of < r.end_date + timedelta(days=1) <= programme_round.end_date
                    }
                )
                gap = next((d for d in departures if not enough(d, facts.residents)), None)
                status = AT_RISK if gap else PASS
                if gap:
                    measured["team_falls_short_on"] = gap.isoformat()
            explanation = _(
                "%(staff)d resident staff, %(managers)d of them management staff, on %(date)s."
            ) % {"staff": staff, "managers": managers, "date": as_of}
            yield self.finding(context, facts.pairing, "pairing", status, measured, explanation)


@register
class OnSiteInteractions(Rule):
    code = "R-B4"
    title = "互助成长平均每月至少{R-B4.on_site_per_month}次现场互动交流"
    scope = "pairing"
    reads = ("pairings",)
    period = "month"
    keys = ("R-B4.on_site_per_month",)
    measures = {
        "on_site": Measure(gettext_lazy("On-site interactions in the round so far"), "count", "次"),
        "months_closed": Measure(gettext_lazy("Full months"), "count", "个月"),
        "average_per_month": Measure(gettext_lazy("Average a month"), "number", "次/月", digits=2),
        "this_month": Measure(gettext_lazy("This month so far"), "count", "次"),
    }
    limits = {"R-B4.on_site_per_month": Limit(gettext_lazy("On-site interactions a month"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        required = context.thresholds[self.keys[0]]
        for facts in _mutual_growth(context):
            start, end = facts.pairing.round.start_date, facts.pairing.round.end_date
            as_of = min(context.as_of, end)
            month_start = date(as_of.year, as_of.month, 1)
            closed_months = (
                months_before(start, as_of) if context.as_of <= end else months_before(start, end) + 1
            )
            in_round = [d for d in facts.on_site_dates if start <= d <= as_of]
            closed_count = sum(d < month_start for d in in_round) if context.as_of <= end else len(in_round)
            current = len(in_round) - closed_count
            average = closed_count / closed_months if closed_months else None
            measured = {
                "on_site": len(in_round),
                "months_closed": closed_months,
                "average_per_month": None if average is None else round(average, 3),
                "this_month": current,
            }
            if context.as_of < start:
                status = NOT_DUE
            elif average is None:
                status = PASS if required.met_by(current) else NOT_DUE
            elif not required.met_by(average):
                status = FAIL
            elif context.as_of > end:
                status = PASS
            else:
                fraction = fraction_of_month(as_of)
                pace = current / fraction if fraction >= 0.25 else max(current, float(required.value or 0))
                status = AT_RISK if not required.met_by((closed_count + pace) / (closed_months + 1)) else PASS
            explanation = _("%(n)d on-site interactions in %(months)d full months (%(avg)s a month).") % {
                "n": len(in_round),
                "months": closed_months,
                "avg": "—" if average is None else f"{average:.2f}",
            }
            yield self.finding(context, facts.pairing, "pairing", status, measured, explanation)


@register
class BaselineBeforePlan(Rule):
    code = "R-B5"
    title = "实施前完成初态评估，基于绿色指标诊断关键问题"
    scope = "pairing"
    reads = ("pairings",)
    period = "programme"
    keys = ("R-B5.baseline_before_plan",)
    measures = {
        "baseline_on": Measure(gettext_lazy("Baseline assessed on"), "date"),
        "plan_submitted_on": Measure(gettext_lazy("Plan submitted on"), "date"),
    }
    limits = {
        "R-B5.baseline_before_plan": Limit(
            gettext_lazy("The baseline is assessed before the round starts and before the plan is submitted")
        )
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for facts in context.pairings:
            start, as_of = facts.pairing.round.start_date, context.as_of
            baseline = facts.baseline if facts.baseline and facts.baseline.assessed_on <= as_of else None
            plan = facts.plan
            submitted = (
                plan.submitted_on if plan and plan.submitted_on and plan.submitted_on <= as_of else None
            )
            measured = {
                "baseline_on": baseline and baseline.assessed_on.isoformat(),
                "plan_submitted_on": submitted and submitted.isoformat(),
            }
            if baseline is None:
                status = (
                    FAIL
                    if as_of >= start or submitted
                    else (AT_RISK if (start - as_of).days <= WARNING_DAYS else NOT_DUE)
                )
                explanation = _("No baseline assessment is recorded.")
            elif submitted and baseline.assessed_on > submitted:
                status, explanation = FAIL, _("The baseline assessment came after the plan was submitted.")
            else:
                status, explanation = (
                    PASS,
                    _("Baseline assessment of %(date)s.") % {"date": baseline.assessed_on},
                )
            yield self.finding(context, facts.pairing, "pairing", status, measured, explanation)


@register
class PlanReviewedBeforeRunning(Rule):
    code = "R-B6"
    title = "三年规划经专家论证后实施"
    scope = "pairing"
    reads = ("pairings",)
    period = "programme"
    keys = ("R-B6.reviewed_before_running",)
    measures = {
        "plan_status": Measure(gettext_lazy("Plan status"), "choice", choices=PlanStatus),
        "approved_on": Measure(gettext_lazy("Approved after expert review on"), "date"),
        "runs_from": Measure(gettext_lazy("The plan runs from"), "date"),
    }
    limits = {
        "R-B6.reviewed_before_running": Limit(
            gettext_lazy("The plan is approved after expert review before it runs")
        )
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for facts in context.pairings:
            plan, as_of = facts.plan, context.as_of
            runs_from = (
                plan.runs_from if plan and plan.runs_from else None
            ) or facts.pairing.round.start_date
            approved = (
                plan.approved_on if plan and plan.status == PlanStatus.APPROVED and plan.approved_on else None
            )
            if approved and approved > as_of:
                approved = None
            measured = {
                "plan_status": plan.status if plan else None,
                "approved_on": approved and approved.isoformat(),
                "runs_from": runs_from.isoformat(),
            }
            if approved:
                status = PASS if approved <= runs_from else FAIL
            else:
                status = (
                    FAIL
                    if as_of >= runs_from
                    else (AT_RISK if (runs_from - as_of).days <= WARNING_DAYS else NOT_DUE)
                )
            explanation = (
                _("The plan was approved after expert review on %(date)s; it runs from %(runs)s.")
                % {"date": approved, "runs": runs_from}
                if approved
                else _("The plan has not passed expert review; it runs from %(runs)s.") % {"runs": runs_from}
            )
            yield self.finding(context, facts.pairing, "pairing", status, measured, explanation)


class ReviewEvents(Rule):
    scope = "district"
    reads = ("pairings", "events")
    event_kind: str
    months: int
    measures = {
        "periods_checked": Measure(gettext_lazy("Periods past"), "count", "个"),
        "periods_short": Measure(gettext_lazy("Periods short"), "list"),
        "current_period": Measure(gettext_lazy("Current period"), "text"),
        "current_count": Measure(gettext_lazy("Events in the current period"), "count", "次"),
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        required = context.thresholds[self.keys[0]]
        for district in context.districts:
            rounds = [
                r
                for r in context.rounds
                if any(
                    f.pairing.round_id == r.pk and f.pairing.supported_school.district_id == district.pk
                    for f in context.pairings
                )
            ]
            for programme_round in rounds:
                dates = [
                    e.date
                    for e in context.events
                    if e.kind == self.event_kind
                    and e.round_id == programme_round.pk
                    and e.district_id in (None, district.pk)
                ]
                end = min(context.as_of, programme_round.end_date)
                periods = calendar_periods(programme_round.start_date, programme_round.end_date, self.months)
                periods = [p for p in periods if p.start <= end]
                status, measured = count_per_period_status(periods, dates, required, context.as_of)
                if context.as_of < programme_round.start_date:
                    status = NOT_DUE
                explanation = _("%(n)d events recorded; periods short: %(short)s.") % {
                    "n": len(dates),
                    "short": "、".join(measured["periods_short"]) or _("none"),
                }
                yield self.finding(context, district, "district", status, measured, explanation)


@register
class HalfYearSummaries(ReviewEvents):
    code = "R-B7.a"
    title = "每半年至少开展{R-B7.summaries_per_half_year}次总结活动"
    period = "half_year"
    keys = ("R-B7.summaries_per_half_year",)
    limits = {"R-B7.summaries_per_half_year": Limit(gettext_lazy("Summary activities"))}
    event_kind = "half_year_summary"
    months = 6


@register
class AnnualSiteMeetings(ReviewEvents):
    code = "R-B7.b"
    title = "每年至少召开{R-B7.site_meetings_per_year}次现场会"
    period = "year"
    keys = ("R-B7.site_meetings_per_year",)
    limits = {"R-B7.site_meetings_per_year": Limit(gettext_lazy("Site meetings"))}
    event_kind = "site_meeting"
    months = 12


class EvaluationDeadline(Rule):
    scope = "pairing"
    reads = ("pairings",)
    period = "programme"
    evaluation_kind: str
    measures = {
        "due": Measure(gettext_lazy("Due by"), "date"),
        "completed_on": Measure(gettext_lazy("Completed on"), "date"),
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        months = context.thresholds[self.keys[0]].value
        for facts in context.pairings:
            due = add_months(facts.pairing.round.start_date, int(months or 0)) - timedelta(days=1)
            done = facts.evaluations.get(self.evaluation_kind)
            done_on = done.completed_on if done else None
            status = deadline_status(done_on, due, context.as_of)
            measured = {"due": due.isoformat(), "completed_on": done_on and done_on.isoformat()}
            explanation = _("Due by %(due)s; completed: %(done)s.") % {
                "due": due,
                "done": done_on or _("not yet"),
            }
            yield self.finding(context, facts.pairing, "pairing", status, measured, explanation)


@register
class MidTermEvaluation(EvaluationDeadline):
    code = "R-B8.a"
    title = "{R-B8.mid_term_month}个月内开展中期评估"
    keys = ("R-B8.mid_term_month",)
    limits = {"R-B8.mid_term_month": Limit(gettext_lazy("Mid-term evaluation after the round starts"))}
    evaluation_kind = "mid_term"


@register
class PerformanceEvaluation(EvaluationDeadline):
    code = "R-B8.b"
    title = "{R-B8.performance_month}个月内完成绩效评估"
    keys = ("R-B8.performance_month",)
    limits = {"R-B8.performance_month": Limit(gettext_lazy("Performance evaluation after the round starts"))}
    evaluation_kind = "performance"
