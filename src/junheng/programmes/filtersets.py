from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet
from junheng.organisations.filtersets import district_filter

from .choices import PairingKind
from .models import Pairing, ProgrammeRound


class PairingFilterSet(SearchFilterSet):
    search_fields = (
        "supported_school__name__icontains",
        "supporting_school__name__icontains",
        "supporting_institution__name__icontains",
        "project_title__icontains",
    )
    round = django_filters.ModelChoiceFilter(queryset=ProgrammeRound.objects.all(), label=_("Round"))
    kind = django_filters.ChoiceFilter(choices=PairingKind.choices, label=_("Kind"))
    supported_district = district_filter("supported_school__district", _("Supported district"))
    supporting_district = district_filter(label=_("Supporting district"))

    class Meta:
        model = Pairing
        fields = ["q", "round", "kind", "supported_district", "supporting_district"]

    def filter_queryset(self, queryset: Any) -> Any:
        # The supporting district is the district of whichever kind of unit supports.
        district = self.form.cleaned_data.pop("supporting_district", None)
        queryset = super().filter_queryset(queryset)
        if district is not None:
            queryset = queryset.filter(
                Q(supporting_school__district=district) | Q(supporting_institution__district=district)
            )
        return queryset
