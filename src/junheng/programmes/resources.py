from junheng.core.resources import Resource, register

from . import api, filtersets, forms, tables
from .models import Pairing

register(
    Resource(
        name="pairings",
        model=Pairing,
        queryset=lambda: Pairing.objects.with_parties(),
        filterset=filtersets.PairingFilterSet,
        table=tables.PairingTable,
        schema=api.PairingOut,
        form=forms.PairingForm,
        import_url="programmes:roster_import",
    )
)
