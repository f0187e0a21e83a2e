"""The rules: small classes, one per requirement (or part of one), registered in one catalog.

A rule names the thresholds it compares with (keys of a policy edition), reads the facts it needs from the
context, and returns findings. Every finding carries the measured numbers, the thresholds used and a Chinese
sentence that names the clause. Nothing recorded counts as zero; `no_data` is for what cannot be computed.

Statuses: pass; fail; at_risk — will fail by the end of the period at the current pace (or a deadline is within
the warning horizon); not_due — nothing can be due yet; no_data.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import FindingStatus

PASS, FAIL, AT_RISK, NOT_DUE, NO_DATA = (
    FindingStatus.PASS.value,
    FindingStatus.FAIL.value,
    FindingStatus.AT_RISK.value,
    FindingStatus.NOT_DUE.value,
    FindingStatus.NO_DATA.value,
)
WARNING_DAYS = (
    60  # deadlines this close, with the work not done, are at risk (R-F4 reminds at the same horizon)
)


@dataclass(frozen=True)
class ThresholdValue:
    key: str
    value: Decimal | None
    comparator: str
    unit: str
    source: str
    clause: str

    def met_by(self, measured: float | Decimal) -> bool:
        assert self.value is not None
        number = Decimal(str(measured))
        return {"gte": number >= self.value, "lte": number <= self.value, "lt": number < self.value}[
            self.comparator
        ]

    def as_dict(self) -> dict[str, Any]:
        value = None if self.value is None else float(self.value)
        return {"key": self.key, "value": value, "comparator": self.comparator, "unit": self.unit}


@dataclass
class Context:
    as_of: date
    thresholds: dict[str, ThresholdValue]
    rounds: list[Any]
    pairings: list[Any]  # programmes.selectors.PairingFacts
    events: list[Any]  # programmes.models.ReviewEvent
    districts: list[Any]  # districts whose findings are wanted
    # cluster → its evaluation.ClusterResult rows of the latest monitoring year up to the as-of date's year
    cluster_results: dict[Any, list[Any]] = field(default_factory=dict)
    # cluster → its evaluation.balance.Spread rows of the latest school year with resource records
    cluster_resources: dict[Any, list[Any]] = field(default_factory=dict)
    # cluster → evaluation.selectors.ClusterAppraisals of its members' latest appraisal year
    cluster_appraisals: dict[Any, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FindingData:
    rule: str
    subject_type: str
    subject_id: int
    subject_name: str
    district_id: int | None
    status: str
    measured: dict[str, Any]
    threshold: dict[str, Any]
    message: str
    clause: str = ""  # the source clause of the rule's first threshold, e.g. "S1 四.2"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "subject": {"type": self.subject_type, "id": self.subject_id, "name": self.subject_name},
            "status": self.status,
            "measured": self.measured,
            "threshold": self.threshold,
            "clause": self.clause,
            "message": self.message,
        }


class Rule:
    code: str
    title: str
    scope: str  # school, pairing, cluster, teacher, district, programme
    period: str  # month, half_year, semester, school_year, year, programme, any_date
    keys: tuple[str, ...]
    reads: tuple[str, ...] = ()  # the clusters' facts of the context it needs (engine.CLUSTER_FACTS)

    def applies(self, thresholds: dict[str, ThresholdValue]) -> bool:
        return all(key in thresholds for key in self.keys)

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        raise NotImplementedError

    def finding(
        self,
        context: Context,
        subject: Any,
        subject_type: str,
        status: str,
        measured: dict[str, Any],
        explanation: str,
    ) -> FindingData:
        first = context.thresholds[self.keys[0]]
        return FindingData(
            rule=self.code,
            subject_type=subject_type,
            subject_id=subject.pk,
            subject_name=str(subject),
            district_id=_district_of(subject),
            status=status,
            measured=measured,
            threshold={key: context.thresholds[key].as_dict() for key in self.keys},
            message=_("%(explanation)s (%(source)s: “%(clause)s”)")
            % {"explanation": explanation, "source": first.source, "clause": first.clause},
            clause=first.source,
        )


def _district_of(subject: Any) -> int | None:
    if hasattr(subject, "supported_school"):
        return subject.supported_school.district_id
    if subject.__class__.__name__ == "District":
        return subject.pk
    return getattr(subject, "district_id", None)


CATALOG: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    CATALOG[cls.code] = cls()
    return cls


# Dates ------------------------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(start: date, day: date) -> int:
    """Whole calendar months from start's month up to (not including) day's month."""
    return max(0, (day.year - start.year) * 12 + day.month - start.month)


def fraction_of_month(day: date) -> float:
    return day.day / calendar.monthrange(day.year, day.month)[1]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def label(self) -> str:
        return f"{self.start:%Y-%m}～{self.end:%Y-%m}"


def calendar_periods(start: date, end: date, months: int) -> list[Period]:
    """Calendar half-years (months=6) or years (12) that overlap [start, end]."""
    first = date(start.year, 1 if months == 12 or start.month <= 6 else 7, 1)
    periods = []
    while first <= end:
        following = add_months(first, months)
        periods.append(Period(first, following - timedelta(days=1)))
        first = following
    return periods


def count_per_period_status(
    periods: list[Period], dates: list[date], required: ThresholdValue, as_of: date
) -> tuple[str, dict[str, Any]]:
    """Each closed period must reach the threshold; the open one is at risk once it is half over without it."""
    closed = [p for p in periods if p.end < as_of]
    short = [p.label() for p in closed if not required.met_by(sum(p.start <= d <= p.end for d in dates))]
    current = next((p for p in periods if p.start <= as_of <= p.end), None)
    measured: dict[str, Any] = {"periods_checked": len(closed), "periods_short": short}
    if current is not None:
        in_current = sum(current.start <= d <= as_of for d in dates)
        elapsed = (as_of - current.start).days / ((current.end - current.start).days + 1)
        measured.update(current_period=current.label(), current_count=in_current)
    if short:
        return FAIL, measured
    if current is not None and not required.met_by(in_current):
        if elapsed >= 0.5:
            return AT_RISK, measured
        if not closed:
            return NOT_DUE, measured
    if not closed and current is None:
        return NOT_DUE, measured
    return PASS, measured


def deadline_status(done_on: date | None, due: date, as_of: date) -> str:
    if done_on is not None and done_on <= as_of:
        return PASS if done_on <= due else FAIL
    if as_of > due:
        return FAIL
    return AT_RISK if (due - as_of).days <= WARNING_DAYS else NOT_DUE


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
    title = "精准委托管理常驻团队不少于3人，其中管理人员不少于1人"
    scope = "pairing"
    period = "any_date"
    keys = ("R-B3.resident_staff", "R-B3.resident_managers")

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
    title = "互助成长平均每月至少一次现场互动交流"
    scope = "pairing"
    period = "month"
    keys = ("R-B4.on_site_per_month",)

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
    period = "programme"
    keys = ("R-B5.baseline_before_plan",)

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
    period = "programme"
    keys = ("R-B6.reviewed_before_running",)

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for facts in context.pairings:
            plan, as_of = facts.plan, context.as_of
            runs_from = (
                plan.runs_from if plan and plan.runs_from else None
            ) or facts.pairing.round.start_date
            approved = plan.approved_on if plan and plan.status == "approved" and plan.approved_on else None
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
    event_kind: str
    months: int

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
    title = "每半年至少开展一次总结活动"
    period = "half_year"
    keys = ("R-B7.summaries_per_half_year",)
    event_kind = "half_year_summary"
    months = 6


@register
class AnnualSiteMeetings(ReviewEvents):
    code = "R-B7.b"
    title = "每年至少召开一次现场会"
    period = "year"
    keys = ("R-B7.site_meetings_per_year",)
    event_kind = "site_meeting"
    months = 12


class EvaluationDeadline(Rule):
    scope = "pairing"
    period = "programme"
    evaluation_kind: str

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
    title = "一年半开展中期评估"
    keys = ("R-B8.mid_term_month",)
    evaluation_kind = "mid_term"


@register
class PerformanceEvaluation(EvaluationDeadline):
    code = "R-B8.b"
    title = "三年内完成绩效评估"
    keys = ("R-B8.performance_month",)
    evaluation_kind = "performance"


# The model standard (R-E3), judged on the latest year of monitoring results ---------------------------------------


class ModelStandardRule(Rule):
    """One test of the model standard, over each (stage, subject) of the cluster's latest monitoring year: every
    one must hold. The results come from `junheng evaluate` (evaluation.ClusterResult)."""

    scope = "cluster"
    period = "year"
    reads = ("cluster_results",)

    def holds(self, result: Any, context: Context) -> bool | None:
        """Whether the test holds for one (stage, subject); None when it cannot be judged."""
        raise NotImplementedError

    def measure(self, result: Any) -> Any:
        raise NotImplementedError

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for cluster, results in context.cluster_results.items():
            judged = [(r, self.holds(r, context)) for r in results]
            known = [held for _r, held in judged if held is not None]
            status = NO_DATA if not known else PASS if all(known) else FAIL
            short = [f"{r.get_stage_display()}{r.subject}" for r, held in judged if held is False]
            measured = {
                "year": results[0].year,
                "results": {f"{r.stage} {r.subject}": self.measure(r) for r in results},
                "short": short,
            }
            explanation = _(
                "Monitoring of %(year)d: %(judged)d stage–subject results judged, falling short: %(short)s."
            ) % {
                "year": results[0].year,
                "judged": len(known),
                "short": "、".join(short) or _("none"),
            }
            yield self.finding(context, cluster, "cluster", status, measured, explanation)


@register
class PassShareNotBelowDistrict(ModelStandardRule):
    code = "R-E3.a"
    title = "学生学业质量合格及以上比例不低于区平均水平"
    keys = ("R-E3.pass_cut_score",)

    def holds(self, result: Any, context: Context) -> bool | None:
        if result.district_pass_share is None:
            return None
        return result.pass_share >= result.district_pass_share

    def measure(self, result: Any) -> Any:
        return {"pass_share": result.pass_share, "district_pass_share": result.district_pass_share}


@register
class BetweenSchoolDifference(ModelStandardRule):
    code = "R-E3.b"
    title = "校际差异率低于0.15"
    keys = ("R-E3.between_school_difference",)

    def holds(self, result: Any, context: Context) -> bool | None:
        share = result.between_school_share
        return None if share is None else context.thresholds[self.keys[0]].met_by(share)

    def measure(self, result: Any) -> Any:
        return result.between_school_share


@register
class WeakerSchoolsImproved(ModelStandardRule):
    code = "R-E3.c"
    title = "薄弱学校学业质量有提升"
    keys = ("R-E3.pass_cut_score",)

    def holds(self, result: Any, context: Context) -> bool | None:
        return result.weaker_schools_improved  # None: the cluster has no weaker school in this stage

    def measure(self, result: Any) -> Any:
        return result.weaker_schools_improved


# Resources spread evenly (R-E2, with the national method's limits) ---------------------------------------------


@register
class ResourceBalance(Rule):
    """Every one of the seven resource indicators spreads over the cluster's schools within the stage's limit."""

    code = "R-E2.a"
    title = "资源配置校际差异系数不超过限值"
    scope = "cluster"
    period = "school_year"
    reads = ("cluster_resources",)
    keys = ("R-E2.resource_cv_primary", "R-E2.resource_cv_junior")

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for cluster, found in context.cluster_resources.items():
            judged = [s for s in found if s.meets is not None]
            over = [s for s in judged if not s.meets]
            status = NO_DATA if not judged else FAIL if over else PASS
            measured = {
                "school_year": found[0].school_year,
                "spreads": {f"{s.stage} {s.indicator}": s.cv for s in found},
                "over": [f"{s.stage} {s.indicator}" for s in over],
            }
            explanation = _(
                "Resources of %(year)d: %(judged)d indicator spreads judged, over the limit: %(over)s."
            ) % {
                "year": found[0].school_year,
                "judged": len(judged),
                "over": "、".join(f"{s.stage_label}{s.indicator_label}" for s in over) or _("none"),
            }
            yield self.finding(context, cluster, "cluster", status, measured, explanation)


# The cluster's weight in its principals' appraisal (R-E1) ----------------------------------------------------------


@register
class ClusterShareOfAppraisal(Rule):
    """Each member school's principal is appraised with a form whose cluster items weigh at least the share."""

    code = "R-E1"
    title = "学区集团工作在校长考评中的占比不低于50%"
    scope = "cluster"
    period = "year"
    reads = ("cluster_appraisals",)
    keys = ("R-E1.cluster_share_of_appraisal",)

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        threshold = context.thresholds[self.keys[0]]
        for cluster, found in context.cluster_appraisals.items():
            short = [
                s.name for s, share in found.shares.items() if share is None or not threshold.met_by(share)
            ]
            measured = {
                "year": found.year,
                "shares": {s.name: None if v is None else float(v) for s, v in found.shares.items()},
                "short": short,
            }
            explanation = _(
                "Appraisals of %(year)d: %(schools)d member schools, short of the cluster's share or not "
                "appraised: %(short)s."
            ) % {"year": found.year, "schools": len(found.shares), "short": "、".join(short) or _("none")}
            yield self.finding(context, cluster, "cluster", FAIL if short else PASS, measured, explanation)
