from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.links import VisibleLinkColumn

from .models import Cluster, ClusterMembership, District, Institution, School


def district_column() -> tables.Column:
    """The district by name, sorted by code (the official order)."""
    return tables.Column(accessor="district__name", verbose_name=_("district"), order_by=("district__code",))


class DemoMarkColumn(tables.BooleanColumn):
    """Shows 演示数据 on synthetic rows, so nobody takes them for the real city."""

    def render(self, value: Any, record: Any, bound_column: Any) -> Any:
        return _("Demo data") if value else ""

    def value(self, value: Any, record: Any, bound_column: Any) -> Any:
        return str(_("Demo data")) if value else ""


class DistrictTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)

    class Meta:
        model = District
        fields = ("code", "name", "short_name")


class SchoolTable(tables.Table):
    name = tables.Column(linkify=True)
    district = district_column()
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = School
        fields = (
            "name",
            "code",
            "district",
            "stage",
            "school_type_code",
            "ownership",
            "is_new",
            "is_rural",
            "is_demo",
        )


class InstitutionTable(tables.Table):
    name = tables.Column(linkify=True)
    district = district_column()

    class Meta:
        model = Institution
        fields = ("name", "district", "kind")


class ClusterTable(tables.Table):
    name = tables.Column(linkify=True)
    district = district_column()
    lead_school = tables.Column(accessor="lead_school__name", verbose_name=_("lead school"))
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = Cluster
        fields = ("name", "kind", "district", "lead_school", "close_knit", "model_status", "is_demo")


class ClusterMembershipTable(tables.Table):
    school = VisibleLinkColumn()

    class Meta:
        model = ClusterMembership
        fields = ("school", "tier", "start_date", "end_date")
        orderable = False
