"""The applications as a resource (list, detail, history, export, API) with their steps on the page, and the
applications section of a cluster's page."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from junheng.core.records import record_resource
from junheng.core.resources import REGISTRY, Section

from .models import Accreditation, AccreditationStatus, AccreditationStep
from .services import accreditation_save, next_steps


class StepTable(tables.Table):
    class Meta:
        model = AccreditationStep
        fields = ("step", "from_status", "to_status", "actor", "taken_at", "comment")
        orderable = False


def _related(request: Any, accreditation: Accreditation) -> list[Section]:
    steps = accreditation.steps.select_related("actor")
    return [Section(_("Steps"), StepTable(steps), lead=True)]


def _context(request: Any, accreditation: Accreditation) -> dict[str, Any]:
    return {"next_steps": next_steps(request.user, accreditation)}


record_resource(
    "accreditations",
    Accreditation,
    ["cluster", "status", "statement", "applied_on", "recommended_on", "decided_on"],
    ("cluster__name__icontains",),
    {
        "cluster": django_filters.NumberFilter(field_name="cluster", label=_("Cluster")),
        "status": django_filters.ChoiceFilter(choices=AccreditationStatus.choices, label=_("Status")),
    },
    lambda: Accreditation.objects.select_related("cluster__district"),
    read_only=("status", "applied_on", "recommended_on", "decided_on"),
    save=accreditation_save,
    related=_related,
    detail_actions_template="policy/accreditation_actions.html",
    detail_context=_context,
)


def _cluster_applications(request: Any, cluster: Any) -> list[Section]:
    resource = REGISTRY["accreditations"]
    rows = Accreditation.objects.restrict(request.user).filter(cluster=cluster)
    table = resource.table(rows, orderable=False, exclude=("cluster", "statement"))
    add = (
        f"{reverse(resource.url_prefix + '_add')}?cluster={cluster.pk}"
        if resource.may_add(request.user)
        else ""
    )
    return [Section(_("Applications for model status"), table, add_url=add)]


REGISTRY["clusters"].more_related.append(_cluster_applications)
