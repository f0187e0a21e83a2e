"""The clusters' own records as resources — dated memberships, schools' yearly counts, governance documents, work
meetings and membership changes — and the sections they add to a cluster's page."""

from __future__ import annotations

from typing import Any

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from junheng.core.records import record_resource
from junheng.core.resources import REGISTRY, Section

from .choices import ChangeStatus, DocumentStatus, GovernanceKind, Tier
from .models import ClusterMembership, GovernanceDocument, MembershipChange, SchoolYearCount, WorkMeeting
from .services import (
    governance_document_save,
    membership_change_save,
    membership_decision_steps,
    membership_save,
)


def _cluster_filter() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name="cluster", label=_("Cluster"))


record_resource(
    "cluster-memberships",
    ClusterMembership,
    ["cluster", "school", "tier", "start_date", "end_date"],
    ("school__name__icontains", "cluster__name__icontains"),
    {
        "cluster": _cluster_filter(),
        "tier": django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier")),
    },
    lambda: ClusterMembership.objects.select_related("cluster", "school"),
    save=membership_save,
)
record_resource(
    "school-year-counts",
    SchoolYearCount,
    ["school", "school_year", "primary_students", "junior_students", "senior_students", "teachers"],
    ("school__name__icontains",),
    {
        "school": django_filters.NumberFilter(field_name="school", label=_("School")),
        "school_year": django_filters.NumberFilter(field_name="school_year", label=_("School year")),
    },
    lambda: SchoolYearCount.objects.select_related("school"),
)
record_resource(
    "governance-documents",
    GovernanceDocument,
    ["cluster", "kind", "title", "version", "status", "adopted_on", "file", "council_members", "note"],
    ("title__icontains", "cluster__name__icontains"),
    {
        "cluster": _cluster_filter(),
        "kind": django_filters.ChoiceFilter(choices=GovernanceKind.choices, label=_("Kind of document")),
        "status": django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("Status")),
    },
    lambda: GovernanceDocument.objects.select_related("cluster"),
    read_only=("version",),
    save=governance_document_save,
)
record_resource(
    "work-meetings",
    WorkMeeting,
    ["cluster", "held_on", "title", "present", "attendees", "minutes", "minutes_file"],
    ("title__icontains", "minutes__icontains", "cluster__name__icontains"),
    {
        "cluster": _cluster_filter(),
        "held_from": django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From")),
        "held_to": django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("To")),
    },
    lambda: WorkMeeting.objects.select_related("cluster"),
)
record_resource(
    "membership-changes",
    MembershipChange,
    [
        "cluster",
        "school",
        "kind",
        "tier",
        "effective_on",
        "reason",
        "status",
        "decided_by",
        "decided_on",
        "decision_note",
    ],
    ("school__name__icontains", "cluster__name__icontains", "reason__icontains"),
    {
        "cluster": _cluster_filter(),
        "status": django_filters.ChoiceFilter(choices=ChangeStatus.choices, label=_("Status")),
    },
    lambda: MembershipChange.objects.select_related("cluster", "school", "decided_by"),
    read_only=("status", "decided_by", "decided_on", "decision_note"),
    save=membership_change_save,
    detail_actions_template="organisations/membership_change_actions.html",
    detail_context=lambda request, change: {"decisions": membership_decision_steps(request.user, change)},
)


def section(
    request: Any, name: str, title: Any, rows: Any, cluster: Any, exclude: tuple[str, ...] = ()
) -> Section:
    """One of the cluster's own lists on its page, with the add button for who may add such a record."""
    resource = REGISTRY[name]
    table = resource.table(rows, orderable=False, exclude=("cluster", *exclude))
    add_url = (
        f"{reverse(resource.url_prefix + '_add')}?cluster={cluster.pk}"
        if resource.may_add(request.user)
        else ""
    )
    return Section(title, table, add_url=add_url)


def cluster_sections(request: Any, cluster: Any) -> list[Section]:
    user = request.user
    memberships = (
        ClusterMembership.objects.restrict(user).filter(cluster=cluster).select_related("school", "cluster")
    )
    documents = GovernanceDocument.objects.restrict(user).filter(cluster=cluster)
    meetings = WorkMeeting.objects.restrict(user).filter(cluster=cluster)
    changes = MembershipChange.objects.restrict(user).filter(cluster=cluster).select_related("school")
    return [
        section(request, "cluster-memberships", _("Members"), memberships, cluster),
        section(
            request,
            "governance-documents",
            _("Governance documents"),
            documents,
            cluster,
            ("council_members", "note", "file"),
        ),
        section(request, "work-meetings", _("Work meetings"), meetings, cluster, ("attendees", "minutes")),
        section(
            request,
            "membership-changes",
            _("Membership changes"),
            changes,
            cluster,
            ("decided_by", "decision_note"),
        ),
    ]
