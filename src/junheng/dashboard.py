"""The home page: counts by district within the user's scope, and a chart of them."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from junheng.organisations.models import Cluster, District, School
from junheng.policy.reminders import reminders_for
from junheng.programmes.models import Pairing


def _by_district(queryset: Any, field: str = "district") -> dict[int, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by()}


def district_counts(user: Any) -> list[dict[str, Any]]:
    """One row per visible district: schools, clusters and supported pairings. A fixed number of queries."""
    schools = _by_district(School.objects.restrict(user))
    clusters = _by_district(Cluster.objects.restrict(user))
    pairings = _by_district(Pairing.objects.restrict(user), "supported_school__district")
    return [
        {
            "code": d.code,
            "name": d.name,
            "schools": schools.get(d.pk, 0),
            "clusters": clusters.get(d.pk, 0),
            "pairings": pairings.get(d.pk, 0),
        }
        for d in District.objects.restrict(user)
    ]


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = district_counts(request.user)
        totals = {key: sum(r[key] for r in rows) for key in ("schools", "clusters", "pairings")}
        return render(
            request,
            "home.html",
            {"rows": rows, "totals": totals, "reminders": reminders_for(request.user, limit=20)},
        )
