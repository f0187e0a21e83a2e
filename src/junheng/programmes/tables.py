import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.links import VisibleLinkColumn

from .models import Pairing


class PairingTable(tables.Table):
    pairing = tables.Column(
        accessor="pk",
        verbose_name=_("pairing"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("supported_school__name",),
        exclude_from_export=True,  # its parties have their own columns
    )
    supported_district = tables.Column(
        accessor="supported_school__district__name",
        verbose_name=_("Supported district"),
        order_by=("supported_school__district__code",),
    )
    supported_school = VisibleLinkColumn()
    supporting_district = tables.Column(
        accessor="supporting_district", verbose_name=_("Supporting district"), orderable=False
    )
    supporting_unit = VisibleLinkColumn(
        accessor="supporting_unit",
        verbose_name=_("Supporting unit"),
        order_by=("supporting_school__name", "supporting_institution__name"),
    )

    class Meta:
        model = Pairing
        fields = (
            "pairing",
            "kind",
            "sequence",
            "supported_district",
            "supported_school",
            "supporting_district",
            "supporting_unit",
            "project_title",
        )

    def render_pairing(self, record: Pairing) -> str:
        return str(record)
