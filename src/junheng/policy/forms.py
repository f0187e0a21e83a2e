from junheng.core.forms import ScopedModelForm

from .models import PolicyEdition, RotationNeed, Threshold


class PolicyEditionForm(ScopedModelForm):
    class Meta:
        model = PolicyEdition
        fields = ["code", "name", "document_number", "period_start", "period_end"]


class ThresholdForm(ScopedModelForm):
    class Meta:
        model = Threshold
        fields = ["edition", "key", "value", "comparator", "unit", "source", "clause", "note"]


class RotationNeedForm(ScopedModelForm):
    class Meta:
        model = RotationNeed
        fields = ["school", "school_year", "subject", "stage", "need"]
