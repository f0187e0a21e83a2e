from typing import Any

from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.resources import Resource, municipal_only, register

from . import api, filtersets, forms, tables
from .models import Cluster, ClusterMembership, District, Institution, School
from .services import cluster_save


def _district_related(request: Any, district: Any) -> Any:
    schools = School.objects.restrict(request.user).filter(district=district).select_related("district")
    return [(_("Schools"), tables.SchoolTable(schools[:200], orderable=False), "")]


def _cluster_related(request: Any, cluster: Any) -> Any:
    from .cluster_resources import cluster_sections  # registered after the clusters themselves

    return cluster_sections(request, cluster)


register(
    Resource(
        name="districts",
        model=District,
        queryset=lambda: District.objects.prefetch_related("aliases"),
        filterset=filtersets.DistrictFilterSet,
        table=tables.DistrictTable,
        schema=api.DistrictOut,
        form=forms.DistrictForm,
        related=_district_related,
    )
)

register(
    Resource(
        name="schools",
        model=School,
        queryset=lambda: School.objects.select_related("district"),
        filterset=filtersets.SchoolFilterSet,
        table=tables.SchoolTable,
        schema=api.SchoolOut,
        form=forms.SchoolForm,
        import_url=reverse_lazy("organisations:import", args=["schools"]),
    )
)

register(
    Resource(
        name="institutions",
        model=Institution,
        queryset=lambda: Institution.objects.select_related("district"),
        filterset=filtersets.InstitutionFilterSet,
        table=tables.InstitutionTable,
        schema=api.InstitutionOut,
        form=forms.InstitutionForm,
    )
)

register(
    Resource(
        name="clusters",
        model=Cluster,
        queryset=lambda: Cluster.objects.select_related("district", "lead_school").prefetch_related(
            Prefetch("memberships", queryset=ClusterMembership.objects.select_related("school"))
        ),
        filterset=filtersets.ClusterFilterSet,
        table=tables.ClusterTable,
        schema=api.ClusterOut,
        form=forms.ClusterForm,
        related=_cluster_related,
        save=cluster_save,
        import_url=reverse_lazy("organisations:import", args=["clusters"]),
        # Model status is granted through accreditation (application, recommendation, accreditation), never by
        # the cluster's own editors; the commission sets a cluster creating it, and the creation period's start.
        field_rules={
            name: municipal_only(_("Only the municipal commission changes a cluster's model status."))
            for name in ("model_status", "creating_since")
        },
    )
)

from . import cluster_resources  # noqa: E402,F401  (registers the clusters' own records)
