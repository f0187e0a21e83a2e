from junheng.organisations.forms import ScopedModelForm

from .models import Pairing


class PairingForm(ScopedModelForm):
    class Meta:
        model = Pairing
        fields = [
            "round",
            "kind",
            "sequence",
            "supported_school",
            "supporting_school",
            "supporting_institution",
            "project_title",
        ]
