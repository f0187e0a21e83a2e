from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.resources import REGISTRY, Resource, Section, register

from . import api, filtersets, forms, tables
from .models import PolicyEdition, RotationNeed, Threshold
from .selectors import latest_findings_for


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


register(
    Resource(
        name="rotation-needs",
        model=RotationNeed,
        queryset=lambda: RotationNeed.objects.select_related("school"),
        filterset=filtersets.RotationNeedFilterSet,
        table=tables.RotationNeedTable,
        schema=api.RotationNeedOut,
        form=forms.RotationNeedForm,
        import_url=reverse_lazy("policy:import", args=["rotation-needs"]),
    )
)


def _pairing_findings(request: Any, pairing: Any) -> Any:
    """The pairing's standing findings, first on its page, each with its sentence."""
    findings = latest_findings_for(request.user, [pairing])[pairing.pk]
    table = tables.FindingTable(findings, orderable=False)
    return [Section(_("Compliance checks"), table, lead=True)]


def _compliance_column(request: Any) -> list[tuple[str, Any]]:
    return [("compliance", tables.ComplianceColumn(request.user))]


REGISTRY["pairings"].more_related.append(_pairing_findings)
REGISTRY["pairings"].more_columns.append(_compliance_column)


# The cluster's page links its rotation board (the board reads the edition's thresholds, so it lives here).
assert not REGISTRY["clusters"].detail_actions_template, "the cluster's page has its actions already"
REGISTRY["clusters"].detail_actions_template = "policy/cluster_actions.html"

from .accreditation import resources as accreditation_resources  # noqa: E402,F401  (registers the applications)
