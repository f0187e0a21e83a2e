import django_filters
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet
from junheng.organisations.filtersets import district_filter

from .models import PlannedStage, PolicyEdition, RotationNeed, Threshold


class PolicyEditionFilterSet(SearchFilterSet):
    search_fields = ("code__icontains", "name__icontains", "document_number__icontains")

    class Meta:
        model = PolicyEdition
        fields = ["q"]


class ThresholdFilterSet(SearchFilterSet):
    search_fields = ("key__icontains", "clause__icontains")
    edition = django_filters.ModelChoiceFilter(
        queryset=PolicyEdition.objects.all(), label=_("Policy edition")
    )

    class Meta:
        model = Threshold
        fields = ["q", "edition"]


class RotationNeedFilterSet(SearchFilterSet):
    search_fields = ("school__name__icontains", "subject__icontains")
    district = district_filter("school__district")
    school = django_filters.NumberFilter(field_name="school", label=_("School (id)"))
    school_year = django_filters.NumberFilter(field_name="school_year", label=_("School year"))
    stage = django_filters.ChoiceFilter(choices=PlannedStage.choices, label=_("Stage"))

    class Meta:
        model = RotationNeed
        fields = ["q", "district", "school", "school_year", "stage"]
