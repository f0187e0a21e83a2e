import django_tables2 as tables

from .models import Finding, PolicyEdition, Threshold


class PolicyEditionTable(tables.Table):
    code = tables.Column(linkify=True)

    class Meta:
        model = PolicyEdition
        fields = ("code", "name", "document_number", "period_start", "period_end", "copied_from")


class ThresholdTable(tables.Table):
    key = tables.Column(linkify=True)

    class Meta:
        model = Threshold
        fields = ("edition", "key", "comparator", "value", "unit", "source", "clause")


class FindingTable(tables.Table):
    rule = tables.Column(linkify=True)
    status = tables.TemplateColumn('{% include "policy/_status.html" with finding=record %}')

    class Meta:
        model = Finding
        fields = ("rule", "status", "message")
