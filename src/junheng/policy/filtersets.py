import django_filters
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet

from .models import PolicyEdition, Threshold


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
