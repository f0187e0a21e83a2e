from junheng.core.forms import ScopedModelForm

from .models import Pairing


class PairingForm(ScopedModelForm):
    """The commission edits roster pairings; a district bureau adds pairings inside its district (R-B17), marked
    as that district's own by `services.pairing_save`."""

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
            "trust_committee",
            "principal_name",
            "project_target",
            "responsible_person",
        ]
