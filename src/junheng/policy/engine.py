"""Runs the catalog's rules for an edition as of a date, and keeps the findings of each run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.evaluation.selectors import (
    latest_cluster_appraisals,
    latest_cluster_results,
    latest_cluster_spreads,
)
from junheng.organisations.models import District
from junheng.programmes.selectors import pairing_facts, review_events, rounds_between
from junheng.sharing.research_selectors import cluster_research
from junheng.staffing.selectors import cluster_flow

from .models import ComplianceRun, Finding, PolicyEdition
from .rules import CATALOG, Context, FindingData, ThresholdValue
from .rules.s2_clusters import cluster_governance, cluster_stability


def thresholds_of(edition: PolicyEdition) -> dict[str, ThresholdValue]:
    return {
        t.key: ThresholdValue(t.key, t.value, t.comparator, t.unit, t.source, t.clause, edition.code, t.note)
        for t in edition.thresholds.all()
    }


# The clusters' facts, read only when a rule that applies reads them (Rule.reads).
CLUSTER_FACTS: dict[str, Callable[[date, District | None], Any]] = {
    "cluster_results": lambda as_of, district: latest_cluster_results(as_of.year, district),
    "cluster_resources": latest_cluster_spreads,
    "cluster_appraisals": latest_cluster_appraisals,
    "cluster_flow": cluster_flow,
    "cluster_research": cluster_research,
    "cluster_stability": cluster_stability,
    "cluster_governance": cluster_governance,
}


def evaluate(edition: PolicyEdition, as_of: date, district: District | None = None) -> list[FindingData]:
    """Same inputs, same findings: the result depends only on the records and the edition, in a stable order."""
    thresholds = thresholds_of(edition)
    rules = [rule for rule in CATALOG.values() if rule.applies(thresholds)]
    rounds = rounds_between(edition.period_start, edition.period_end)
    wanted = {fact for rule in rules for fact in rule.reads}
    # Only what the rules read: S2's edition overlaps S1's round, and its rules need none of the pairings.
    context = Context(
        as_of=as_of,
        thresholds=thresholds,
        rounds=rounds,
        pairings=pairing_facts(rounds, district.code if district else None) if "pairings" in wanted else [],
        events=review_events(rounds) if "events" in wanted else [],
        districts=[district] if district else list(District.objects.all()),
        **{fact: CLUSTER_FACTS[fact](as_of, district) for fact in sorted(wanted & set(CLUSTER_FACTS))},
    )
    findings = [f for rule in rules for f in rule.evaluate(context)]
    return sorted(findings, key=lambda f: (f.rule, f.subject_type, f.subject_id))


def may_start_run(user: Any, district: District | None) -> bool:
    """Starting a run is a write: the municipal commission checks the city or any district, a district bureau
    that may edit checks its own district."""
    scope = scope_for(user, Action.CHANGE)
    return scope.everything or (district is not None and district.pk in scope.districts)


@transaction.atomic
def compliance_run(
    *, actor: Any, edition: PolicyEdition, as_of: date, district: District | None = None
) -> tuple[ComplianceRun, list[FindingData]]:
    """Checks and keeps the findings. No actor: the platform itself (the daily refresh, an operator's command)."""
    if actor is not None and not may_start_run(actor, district):
        raise PermissionDenied(
            _(
                "Only the municipal commission checks the whole city; a district bureau checks its own district."
            )
        )
    findings = evaluate(edition, as_of, district)
    run = ComplianceRun.objects.create(
        edition=edition,
        as_of=as_of,
        district=district,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    Finding.objects.bulk_create(
        Finding(
            run=run,
            rule=f.rule,
            subject_type=f.subject_type,
            subject_id=f.subject_id,
            subject_name=f.subject_name,
            district_id=f.district_id,
            status=f.status,
            measured=f.measured,
            threshold=f.threshold,
            message=f.message,
            clause=f.clause,
        )
        for f in findings
    )
    return run, findings
