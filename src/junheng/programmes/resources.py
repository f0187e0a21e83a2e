from typing import Any

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY, Resource, register
from junheng.core.scope import scope_for

from . import api, filtersets, forms, tables
from . import work as _work_records  # noqa: F401  the work records register themselves
from .models import Pairing
from .services import pairing_save
from .timeline import TimelineTable, pairing_timeline

PAIRING_SECTIONS = (
    ("residents", _("Resident team")),
    ("interactions", _("Interactions")),
    ("baselines", _("Baseline assessment")),
    ("plans", _("Three-year plan")),
    ("evaluations", _("Evaluations")),
    ("experts", _("Experts and professional teams")),
    ("subject-dockings", _("Subject docking")),
    ("service-records", _("Supporting teachers' service")),
    ("development-records", _("Teacher development")),
    ("spending", _("Spending")),
    ("cases", _("Cases")),
)


def _pairing_related(request: Any, pairing: Any) -> Any:
    """The pairing's page: the timeline of its work, then its team, interactions, baseline, plan and the rest, each
    with a link to record more."""
    may_record = (
        Pairing.objects.recorded_by(scope_for(request.user, Action.CHANGE)).filter(pk=pairing.pk).exists()
    )
    sections = [(_("Timeline"), TimelineTable(pairing_timeline(request.user, pairing), orderable=False), "")]
    for name, title in PAIRING_SECTIONS:
        resource = REGISTRY[name]
        rows = resource.scoped(request.user).filter(pairing=pairing)
        add = f"{reverse(resource.url_prefix + '_add')}?pairing={pairing.pk}" if may_record else ""
        sections.append((title, resource.table(rows[:50], orderable=False, exclude=("pairing",)), add))
    return sections


register(
    Resource(
        name="pairings",
        model=Pairing,
        queryset=lambda: Pairing.objects.with_parties(),
        filterset=filtersets.PairingFilterSet,
        table=tables.PairingTable,
        schema=api.PairingOut,
        form=forms.PairingForm,
        save=pairing_save,
        import_url=reverse_lazy("programmes:roster_import"),
        import_needs_administrator=True,
        related=_pairing_related,
    )
)
