"""Resource balance: the seven indicators' spread over the schools of each district and cluster in the user's
scope, and a cluster's quality resources year by year (R-E2)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from junheng.core.resources import REGISTRY
from junheng.organisations.models import Cluster, District

from ..balance import Spread, totals_by_year
from ..models.balance import ResourceIndicator, ResourceRecord
from ..selectors import resource_records_of, resource_spreads


def spread_rows(found: list[Spread]) -> list[dict[str, Any]]:
    """One row per group and stage, the seven spreads in the indicators' order."""
    by_row: dict[tuple[Any, str], dict[str, Spread]] = defaultdict(dict)
    for spread in found:
        by_row[(spread.group, spread.stage)][spread.indicator] = spread
    rows = [
        {
            "group": group,
            "is_cluster": isinstance(group, Cluster),
            "stage": next(iter(cells.values())).stage_label,
            "schools": next(iter(cells.values())).schools,
            "cells": [cells[i] for i in ResourceIndicator.values],
        }
        for (group, stage), cells in by_row.items()
    ]
    return sorted(rows, key=lambda r: (r["is_cluster"], str(r["group"]), r["stage"]))


class ResourceBalanceView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        visible = ResourceRecord.objects.restrict(request.user)
        years = sorted(set(visible.values_list("school_year", flat=True)), reverse=True)
        chosen = request.GET.get("school_year", "")
        year = next((y for y in years if str(y) == chosen), years[0] if years else None)
        clusters = Cluster.objects.restrict(request.user).select_related("district")
        found = (
            resource_spreads(year, District.objects.restrict(request.user), clusters)
            if year is not None
            else []
        )
        cluster = None
        if request.GET.get("cluster", "").isdigit():
            cluster = clusters.filter(pk=request.GET["cluster"]).first()
        return render(
            request,
            "evaluation/resources.html",
            {
                "years": years,
                "year": year,
                "indicators": ResourceIndicator.choices,
                "quantities": ResourceRecord.quantity_labels(),
                "rows": spread_rows(found),
                "cluster": cluster,
                "totals": _totals_rows(cluster) if cluster else [],
                "may_import": REGISTRY["resource-records"].may_add(request.user),
            },
        )


def _totals_rows(cluster: Cluster) -> list[dict[str, Any]]:
    return [
        {
            "school_year": t.school_year,
            "cells": [
                (t.totals[i], None if t.change is None else t.change[i]) for i in ResourceIndicator.values
            ],
        }
        for t in totals_by_year(resource_records_of(cluster))
    ]
