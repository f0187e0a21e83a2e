"""The rules of the model clusters (S2): the model standard (R-E3), resource balance (R-E2) and the cluster's weight
in its principals' appraisal (R-E1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.evaluation.models.balance import ResourceIndicator
from junheng.organisations.choices import Stage

from .base import FAIL, NO_DATA, PASS, Context, FindingData, Limit, Measure, Rule, register


def _stage_and(key: str, name: Any = str) -> str:
    """“小学数学” for the key "primary 数学" of a finding (stage code, then subject or indicator)."""
    stage, _space, rest = key.partition(" ")
    return f"{Stage(stage).label if stage in Stage.values else stage}{name(rest)}"


def _indicator(code: str) -> str:
    return str(ResourceIndicator(code).label) if code in ResourceIndicator.values else code


def _stage_and_indicator(key: str) -> str:
    return _stage_and(key, _indicator)


def _standard_measures(each: Any) -> dict[str, Measure]:
    return {
        "year": Measure(gettext_lazy("Monitoring year"), "year"),
        "results": Measure(gettext_lazy("Results by stage and subject"), each=each, key_label=_stage_and),
        "short": Measure(gettext_lazy("Falling short"), "list"),
    }


PASS_CUT = {"R-E3.pass_cut_score": Limit(gettext_lazy("Pass level (when a result has no level)"))}

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
    measures = _standard_measures(
        {
            "pass_share": Measure(gettext_lazy("pass share"), "share"),
            "district_pass_share": Measure(gettext_lazy("district average"), "share"),
        }
    )
    limits = PASS_CUT

    def holds(self, result: Any, context: Context) -> bool | None:
        if result.district_pass_share is None:
            return None
        return bool(result.pass_share >= result.district_pass_share)

    def measure(self, result: Any) -> Any:
        return {"pass_share": result.pass_share, "district_pass_share": result.district_pass_share}


@register
class BetweenSchoolDifference(ModelStandardRule):
    code = "R-E3.b"
    title = "校际差异率低于{R-E3.between_school_difference}"
    keys = ("R-E3.between_school_difference",)
    measures = _standard_measures(Measure(gettext_lazy("between-school difference"), "number", digits=3))
    limits = {"R-E3.between_school_difference": Limit(gettext_lazy("Between-school difference"))}

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
    measures = _standard_measures(Measure(gettext_lazy("weaker schools improved"), "yesno"))
    limits = PASS_CUT

    def holds(self, result: Any, context: Context) -> bool | None:
        improved: bool | None = result.weaker_schools_improved
        return improved  # None: the cluster has no weaker school in this stage

    def measure(self, result: Any) -> Any:
        return result.weaker_schools_improved


# Resources spread evenly (R-E2, with the national method's limits) ---------------------------------------------


@register
class ResourceBalance(Rule):
    """Every one of the seven resource indicators spreads over the cluster's schools within the stage's limit."""

    code = "R-E2.a"
    title = "资源配置校际差异系数不超过限值（小学{R-E2.resource_cv_primary}，初中{R-E2.resource_cv_junior}）"
    scope = "cluster"
    period = "school_year"
    reads = ("cluster_resources",)
    keys = ("R-E2.resource_cv_primary", "R-E2.resource_cv_junior")
    measures = {
        "school_year": Measure(gettext_lazy("School year"), "year"),
        "spreads": Measure(
            gettext_lazy("Coefficient of variation by stage and indicator"),
            each=Measure("", "number", digits=3),
            key_label=_stage_and_indicator,
        ),
        "over": Measure(gettext_lazy("Over the limit"), "list", key_label=_stage_and_indicator),
    }
    limits = {
        "R-E2.resource_cv_primary": Limit(gettext_lazy("Coefficient of variation, primary")),
        "R-E2.resource_cv_junior": Limit(gettext_lazy("Coefficient of variation, junior secondary")),
    }

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
    title = "学区集团工作在校长考评中的占比不低于{R-E1.cluster_share_of_appraisal:%}"
    scope = "cluster"
    period = "year"
    reads = ("cluster_appraisals",)
    keys = ("R-E1.cluster_share_of_appraisal",)
    measures = {
        "year": Measure(gettext_lazy("Appraisal year"), "year"),
        "shares": Measure(
            gettext_lazy("Cluster share of each principal's appraisal"), each=Measure("", "share")
        ),
        "short": Measure(gettext_lazy("Short or not appraised"), "list"),
    }
    limits = {
        "R-E1.cluster_share_of_appraisal": Limit(gettext_lazy("Cluster share of the appraisal"), share=True)
    }

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
