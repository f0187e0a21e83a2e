from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Finding, FindingStatus, PolicyEdition, RotationNeed, Threshold
from .selectors import latest_findings_for


class PolicyEditionTable(tables.Table):
    code = tables.Column(linkify=True)

    class Meta:
        model = PolicyEdition
        fields = ("code", "name", "document_number", "period_start", "period_end", "copied_from")


class ThresholdTable(tables.Table):
    key = tables.Column(linkify=True)

    class Meta:
        model = Threshold
        fields = ("edition", "key", "comparator", "value", "unit", "source", "clause", "note")


class FindingTable(tables.Table):
    """Findings with their rule's name."""

    heading = tables.Column(
        verbose_name=_("Rule"),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "w-25"}},
    )
    status = tables.TemplateColumn('{% include "policy/_status.html" with finding=record %}')
    as_of = tables.Column(accessor="run__as_of", verbose_name=_("As of"))

    class Meta:
        model = Finding
        fields = ("heading", "status", "message", "as_of")


PROBLEMS = (FindingStatus.FAIL, FindingStatus.AT_RISK)


class ComplianceColumn(tables.Column):
    """A pairing list's 合规状态: the rules its standing findings fail or are at risk on, or 合规. The findings of
    the page's rows are read at once, when the first row is drawn."""

    def __init__(self, user: Any) -> None:
        super().__init__(verbose_name=_("Compliance status"), empty_values=(), orderable=False)
        self.user = user

    def render(self, record: Any, table: Any) -> Any:
        if not hasattr(table, "_standing_findings"):
            rows = table.paginated_rows if hasattr(table, "page") else table.rows
            table._standing_findings = latest_findings_for(self.user, [row.record for row in rows])
        findings = table._standing_findings.get(record.pk, [])
        if not findings:
            return _("Not checked")
        problems = [f for f in findings if f.status in PROBLEMS]
        if not problems:
            return format_html('<span class="badge status-pass">{}</span>', _("Compliant"))
        return format_html_join(
            " ",
            '<a class="badge status-{}" href="{}" title="{}">{}</a>',
            ((f.status, f.get_absolute_url(), f.message, f.heading) for f in problems),
        )


class RotationNeedTable(tables.Table):
    school = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("school__name",))

    class Meta:
        model = RotationNeed
        fields = ("school", "school_year", "stage", "subject", "need")
