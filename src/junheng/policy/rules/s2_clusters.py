"""The rules of the clusters' own life (S2 二(一)): members stay stable while a cluster creates model status
(R-A4) and a creating or accredited cluster has adopted its governance documents (R-A6).

Both apply to the clusters creating model status or accredited as one. R-A4 looks at the creation period: from
the day the cluster began creating model status (`Cluster.creating_since`) to its accreditation, or to the as-of
date while it is still creating. Every join, leave or change of tier effective in that period (after its first
day, up to its last) is reported: made without an approved membership change it fails; all approved, the
finding is at risk — S2 keeps members stable "in principle", so an approved change is reported for the
commission to weigh, not passed over. R-A6 has no deadline in S2, so a missing document fails, whatever the date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.organisations.choices import (
    ChangeKind,
    ChangeStatus,
    DocumentStatus,
    GovernanceKind,
    ModelStatus,
)
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    District,
    GovernanceDocument,
    MembershipChange,
)

from ..accreditation.models import Accreditation, AccreditationStatus
from .base import AT_RISK, FAIL, NO_DATA, PASS, Context, FindingData, Limit, Measure, Rule, register

MODEL = (ModelStatus.CREATING, ModelStatus.ACCREDITED)


def _model_clusters(district: District | None) -> list[Cluster]:
    clusters = Cluster.objects.filter(model_status__in=MODEL).select_related("district", "lead_school")
    return list(clusters.filter(district=district) if district else clusters.order_by("pk"))


# The facts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipMove:
    school: str
    kind: str  # ChangeKind
    effective_on: date
    approved: bool


@dataclass
class Stability:
    start: date | None
    end: date
    moves: list[MembershipMove] = field(default_factory=list)


def _accredited_on(clusters: list[Cluster]) -> dict[int, date]:
    found: dict[int, date] = {}
    rows = Accreditation.objects.filter(cluster__in=clusters, status=AccreditationStatus.ACCREDITED).order_by(
        "decided_on"
    )
    for cluster_id, decided in rows.values_list("cluster", "decided_on"):
        found[cluster_id] = decided
    return found


def cluster_stability(as_of: date, district: District | None) -> dict[Cluster, Stability]:
    """Each model cluster's membership moves effective in its creation period, and whether each was approved."""
    clusters = _model_clusters(district)
    accredited = _accredited_on(clusters)
    memberships: dict[int, list[ClusterMembership]] = {}
    for m in ClusterMembership.objects.filter(cluster__in=clusters).select_related("school"):
        memberships.setdefault(m.cluster_id, []).append(m)
    approved = set(
        MembershipChange.objects.filter(cluster__in=clusters, status=ChangeStatus.APPROVED).values_list(
            "cluster", "school", "effective_on"
        )
    )
    found = {}
    for cluster in clusters:
        end = min(as_of, accredited.get(cluster.pk, as_of))
        stability = Stability(cluster.creating_since, end)
        if cluster.creating_since is not None:
            stability.moves = _moves(
                cluster, memberships.get(cluster.pk, []), cluster.creating_since, end, approved
            )
        found[cluster] = stability
    return found


def _moves(
    cluster: Cluster, memberships: list[ClusterMembership], start: date, end: date, approved: set[Any]
) -> list[MembershipMove]:
    """A join takes effect on its start date, a leave the day after its end date; a leave and a join of one
    school on one day are a change of tier."""
    events: dict[tuple[int, date], set[str]] = {}
    names = {}
    for m in memberships:
        names[m.school_id] = m.school.name
        events.setdefault((m.school_id, m.start_date), set()).add("join")
        if m.end_date is not None:
            events.setdefault((m.school_id, m.end_date + timedelta(days=1)), set()).add("leave")
    moves = []
    for (school, day), kinds in sorted(events.items(), key=lambda item: (item[0][1], names[item[0][0]])):
        if not start < day <= end:
            continue
        kind = ChangeKind.TIER if kinds == {"join", "leave"} else ChangeKind(kinds.pop())
        moves.append(MembershipMove(names[school], kind, day, (cluster.pk, school, day) in approved))
    return moves


def cluster_governance(as_of: date, district: District | None) -> dict[Cluster, set[str]]:
    """Each model cluster's kinds of governance document adopted by the as-of date."""
    clusters = _model_clusters(district)
    adopted: dict[int, set[str]] = {c.pk: set() for c in clusters}
    documents = GovernanceDocument.objects.filter(
        cluster__in=clusters,
        adopted_on__lte=as_of,
        status__in=(DocumentStatus.ADOPTED, DocumentStatus.REVISED),
    )
    for cluster_id, kind in documents.values_list("cluster", "kind"):
        adopted[cluster_id].add(kind)
    return {c: adopted[c.pk] for c in clusters}


# The rules ---------------------------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return str(ChangeKind(kind).label) if kind in ChangeKind.values else kind


@register
class StableMembership(Rule):
    code = "R-A4"
    title = "示范创建期间成员校保持稳定，成员变动须说明理由并经区教育局同意"
    scope = "cluster"
    period = "any_date"
    reads = ("cluster_stability",)
    keys = ("R-A4.stable_membership",)
    measures = {
        "period_start": Measure(gettext_lazy("Creating model status since"), "date"),
        "period_end": Measure(gettext_lazy("Creation period up to"), "date"),
        "changes": Measure(gettext_lazy("Membership changes in the creation period"), "list"),
        "unapproved": Measure(gettext_lazy("Changed without the bureau's approval"), "list"),
    }
    limits = {
        "R-A4.stable_membership": Limit(gettext_lazy("Members stay stable while creating model status"))
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for cluster, found in (context.cluster_stability or {}).items():
            if found.start is None:
                explanation = _("The day the cluster began creating model status is not recorded.")
                measured: dict[str, Any] = {"period_start": None, "period_end": found.end.isoformat()}
                yield self.finding(context, cluster, "cluster", NO_DATA, measured, explanation)
                continue
            described = [
                f"{m.effective_on:%Y-%m-%d} {m.school} {_kind_label(m.kind)}"
                + ("" if m.approved else _(" (not approved)"))
                for m in found.moves
            ]
            unapproved = [d for d, m in zip(described, found.moves, strict=True) if not m.approved]
            status = FAIL if unapproved else AT_RISK if found.moves else PASS
            measured = {
                "period_start": found.start.isoformat(),
                "period_end": found.end.isoformat(),
                "changes": described,
                "unapproved": unapproved,
            }
            explanation = _(
                "From %(start)s to %(end)s: %(changes)d membership changes, %(unapproved)d without approval."
            ) % {
                "start": f"{found.start:%Y-%m-%d}",
                "end": f"{found.end:%Y-%m-%d}",
                "changes": len(found.moves),
                "unapproved": len(unapproved),
            }
            yield self.finding(context, cluster, "cluster", status, measured, explanation)


@register
class GovernanceAdopted(Rule):
    code = "R-A6"
    title = "学区集团章程协议、议事规则、决策程序、协调机制、管委会或理事会及各项制度已制定通过"
    scope = "cluster"
    period = "any_date"
    reads = ("cluster_governance",)
    keys = ("R-A6.governance_adopted",)
    measures = {
        "adopted": Measure(gettext_lazy("Adopted"), "list"),
        "missing": Measure(gettext_lazy("Not adopted"), "list"),
    }
    limits = {"R-A6.governance_adopted": Limit(gettext_lazy("Every governance document adopted"))}

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        for cluster, adopted in (context.cluster_governance or {}).items():
            missing = [str(kind.label) for kind in GovernanceKind if kind not in adopted]
            measured = {
                "adopted": [str(kind.label) for kind in GovernanceKind if kind in adopted],
                "missing": missing,
            }
            explanation = _(
                "%(adopted)d of %(all)d governance documents adopted; not adopted: %(missing)s."
            ) % {
                "adopted": len(adopted),
                "all": len(GovernanceKind),
                "missing": "、".join(missing) or _("none"),
            }
            yield self.finding(context, cluster, "cluster", FAIL if missing else PASS, measured, explanation)
