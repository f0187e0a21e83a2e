from junheng.core.forms import ScopedModelForm

from .models import Cluster, District, Institution, School


class DistrictForm(ScopedModelForm):
    class Meta:
        model = District
        fields = ["code", "name", "short_name"]


class SchoolForm(ScopedModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "code",
            "district",
            "stage",
            "school_type_code",
            "ownership",
            "latitude",
            "longitude",
            "is_new",
            "is_rural",
        ]


class InstitutionForm(ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "district", "kind"]


class ClusterForm(ScopedModelForm):
    class Meta:
        model = Cluster
        fields = [
            "name",
            "kind",
            "district",
            "lead_school",
            "close_knit",
            "model_status",
            "established_on",
            "creating_since",
        ]
