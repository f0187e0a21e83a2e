"""The tables of facility sharing's lists, exports and detail pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.links import VisibleLinkColumn
from junheng.core.records import RecordTable
from junheng.organisations.tables import DemoMarkColumn

from .models import Booking, Facility


class FacilityTable(tables.Table):
    name = tables.Column(linkify=True)
    owner = VisibleLinkColumn(order_by=("owner__name",))
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = Facility
        fields = ("name", "owner", "kind", "capacity", "location", "is_demo")


class BookingTable(RecordTable):
    facility = VisibleLinkColumn(order_by=("facility__name",))
    owner = VisibleLinkColumn(
        accessor="facility__owner", verbose_name=_("owner school"), order_by=("facility__owner__name",)
    )
    booking_school = VisibleLinkColumn(order_by=("booking_school__name",))

    class Meta:
        model = Booking
        fields = (
            "record",
            "facility",
            "owner",
            "booking_school",
            "starts_at",
            "ends_at",
            "purpose",
            "group_size",
            "status",
        )
