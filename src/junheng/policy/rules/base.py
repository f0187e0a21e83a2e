"""The rules: small classes, one per requirement (or part of one), registered in one catalog.

A rule names the thresholds it compares with (keys of a policy edition), reads the facts it needs from the
context, and returns findings. Every finding carries the measured numbers, the thresholds used and a Chinese
sentence that names the clause. Nothing recorded counts as zero; `no_data` is for what cannot be computed.

Statuses: pass; fail; at_risk — will fail by the end of the period at the current pace (or a deadline is within
the warning horizon); not_due — nothing can be due yet; no_data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.editions import ThresholdValue

from ..models import FindingStatus

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
    # staffing.selectors.ClusterFlow: the model clusters' teacher flow around the as-of date's school year
    cluster_flow: Any = None
    # sharing.research_selectors.ResearchFacts: the model clusters' joint research and probation in the semester
    cluster_research: Any = None
    # model cluster → its membership moves in the creation period, and its governance kinds adopted (s2_clusters)
    cluster_stability: Any = None
    cluster_governance: Any = None


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
        from .wording import measured_lines, threshold_lines

        return {
            "rule": self.rule,
            "subject": {"type": self.subject_type, "id": self.subject_id, "name": self.subject_name},
            "status": self.status,
            "measured": self.measured,
            "threshold": self.threshold,
            "measured_text": measured_lines(self.rule, self.measured),
            "threshold_text": threshold_lines(self.rule, self.threshold),
            "clause": self.clause,
            "message": self.message,
        }


@dataclass(frozen=True)
class Measure:
    """How one measured value reads: a Chinese label and a kind — count (with its unit), share (as a percentage),
    number (rounded to `digits`), date, year, yesno, text, choice (of `choices`), list — or, for a value that is a
    mapping, `each`: how every entry reads (one Measure, or one per key of an entry that is itself a mapping), the
    entry named by `key_label`."""

    label: Any
    kind: str = "number"
    unit: str = ""
    digits: int = 2
    choices: Any = None
    each: Any = None  # Measure | dict[str, Measure] | None
    key_label: Any = None  # Callable[[str], str] | None


@dataclass(frozen=True)
class Limit:
    """How one threshold reads: its label, and whether its number is a share (shown as a percentage)."""

    label: Any
    share: bool = False


class Rule:
    code: str
    title: str  # {key} stands for a threshold's number, {key:%} for it as a percentage (see `heading`)
    scope: str  # school, pairing, cluster, teacher, district, programme
    period: str  # month, half_year, semester, school_year, year, programme, any_date
    keys: tuple[str, ...]
    reads: tuple[str, ...] = ()  # the facts of the context it needs: pairings, events, engine.CLUSTER_FACTS
    measures: dict[str, Measure] = {}  # what each key of a finding's `measured` means (rules.wording)
    limits: dict[str, Limit] = {}  # what each of its thresholds limits

    def heading(self, thresholds: dict[str, ThresholdValue]) -> str:
        """The title with the numbers of the edition it is read in: a new edition's threshold renames the rule."""

        def number(match: re.Match[str]) -> str:
            found = thresholds.get(match.group(1))
            if found is None or found.value is None:
                return "—"
            if match.group(2):
                return f"{(found.value * 100).normalize():f}%"
            return f"{found.value.normalize():f}"

        return re.sub(r"\{([^{}:]+)(:%)?\}", number, self.title)

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
        return int(subject.supported_school.district_id)
    if subject.__class__.__name__ == "District":
        return int(subject.pk)
    return getattr(subject, "district_id", None)


CATALOG: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    CATALOG[cls.code] = cls()
    return cls
