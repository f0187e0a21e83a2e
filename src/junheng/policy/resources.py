from typing import Any

from django.utils.translation import gettext_lazy as _

from junheng.core.resources import REGISTRY, Resource, register

from . import api, filtersets, forms, tables
from .models import Finding, PolicyEdition, Threshold
from .reminders import latest_runs


def _edition_related(request: Any, edition: Any) -> Any:
    thresholds = tables.ThresholdTable(edition.thresholds.select_related("edition"), orderable=False)
    return [(_("Thresholds"), thresholds, "")]


register(
    Resource(
        name="editions",
        model=PolicyEdition,
        queryset=lambda: PolicyEdition.objects.select_related("copied_from").prefetch_related("thresholds"),
        filterset=filtersets.PolicyEditionFilterSet,
        table=tables.PolicyEditionTable,
        schema=api.PolicyEditionOut,
        form=forms.PolicyEditionForm,
        detail_actions_template="policy/edition_actions.html",
        related=_edition_related,
    )
)

register(
    Resource(
        name="thresholds",
        model=Threshold,
        queryset=lambda: Threshold.objects.select_related("edition"),
        filterset=filtersets.ThresholdFilterSet,
        table=tables.ThresholdTable,
        schema=api.ThresholdItemOut,
        form=forms.ThresholdForm,
    )
)


def _pairing_findings(request: Any, pairing: Any) -> Any:
    """The pairing's findings in the latest city-wide run of each edition."""
    findings = Finding.objects.restrict(request.user).filter(
        run__in=latest_runs(), subject_type="pairing", subject_id=pairing.pk
    )
    return [(_("Compliance"), tables.FindingTable(findings.order_by("rule"), orderable=False), "")]


REGISTRY["pairings"].more_related.append(_pairing_findings)
