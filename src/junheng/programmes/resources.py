from typing import Any

from django.db.models import F
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY, Resource, Section, register
from junheng.core.scope import scope_for

from . import api, filtersets, forms, tables
from . import work as _work_records  # noqa: F401  the work records register themselves
from .models import Pairing
from .services import pairing_save
from .timeline import DATE_OF, TimelineTable, interactions_by_month, pairing_timeline

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


SECTION_ROWS = 10  # a section shows its latest rows and links to the full list


def _pairing_related(request: Any, pairing: Any) -> Any:
    """The pairing's page: its latest work in date order, then its team, interactions (charted by month against
    the requirement), baseline, plan and the rest — each the latest rows, a link to all of them, and a link to
    record more."""
    may_record = (
        Pairing.objects.recorded_by(scope_for(request.user, Action.CHANGE)).filter(pk=pairing.pk).exists()
    )
    # Interactions have their own chart and section; the timeline would list each of them again.
    timeline = pairing_timeline(request.user, pairing, leave_out=("interactions",))
    sections = [
        Section(_("Timeline"), TimelineTable(timeline[:SECTION_ROWS], orderable=False), count=len(timeline))
    ]
    for name, title in PAIRING_SECTIONS:
        resource = REGISTRY[name]
        rows = resource.scoped(request.user).filter(pairing=pairing)
        latest = DATE_OF.get(name)
        if latest:
            rows = rows.order_by(F(latest).desc(nulls_last=True), "-pk")
        count = rows.count()
        table = resource.table(rows[:SECTION_ROWS], orderable=False, exclude=("pairing",))
        section = Section(
            title,
            table,
            add_url=f"{reverse(resource.url_prefix + '_add')}?pairing={pairing.pk}" if may_record else "",
            more_url=(
                f"{reverse(resource.url_prefix + '_list')}?pairing={pairing.pk}"
                if count > SECTION_ROWS
                else ""
            ),
            count=count,
        )
        if name == "interactions":
            section.include = "programmes/pairing_interactions_chart.html"
            section.data = interactions_by_month(request.user, pairing)
        sections.append(section)
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
