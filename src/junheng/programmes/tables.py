import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Pairing


class PairingTable(tables.Table):
    sequence = tables.Column(linkify=True)
    supported_district = tables.Column(
        accessor="supported_school__district__name",
        verbose_name=_("Supported district"),
        order_by=("supported_school__district__code",),
    )
    supported_school = tables.Column(linkify=True)
    supporting_district = tables.Column(
        accessor="supporting_district", verbose_name=_("Supporting district"), orderable=False
    )
    supporting_unit = tables.Column(
        accessor="supporting_unit",
        linkify=lambda record: record.supporting_unit.get_absolute_url(),
        verbose_name=_("Supporting unit"),
        order_by=("supporting_school__name", "supporting_institution__name"),
    )

    class Meta:
        model = Pairing
        fields = (
            "kind",
            "sequence",
            "supported_district",
            "supported_school",
            "supporting_district",
            "supporting_unit",
            "project_title",
        )
