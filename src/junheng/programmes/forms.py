from typing import Any

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.organisations.forms import ScopedModelForm

from .models import Pairing


class PairingForm(ScopedModelForm):
    """The commission edits roster pairings; a district bureau adds pairings inside its district (R-B17), which
    are marked as that district's own."""

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

    def save(self, commit: bool = True) -> Any:
        pairing = super().save(commit=False)
        scope = scope_for(self.user, Action.CHANGE)
        if pairing.pk is None and not scope.everything and pairing.supported_school_id:
            pairing.created_by_district_id = pairing.supported_school.district_id
        if commit:
            pairing.save()
        return pairing
