"""Joint research, the guidance team's visits and new teachers' probation as lists, details, edits, exports and
API resources (R-D5–R-D7). An activity's page lists the schools and teachers taking part and its evidence files;
a visit's page its follow-up actions, each with a link to add more for those who may."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.records import record_resource
from junheng.core.resources import REGISTRY
from junheng.core.scope import can
from junheng.organisations.filtersets import district_filter

from . import research_imports  # noqa: F401  (registers the sheet of activities)
from .models import (
    ClusterResearchSetting,
    FollowUpAction,
    GuidanceTeamMember,
    NewTeacherProbation,
    ResearchActivity,
    ResearchEvidence,
    ResearchParticipant,
    SupervisoryVisit,
)
from .research_choices import ActionStatus, GuidanceRole, ResearchKind


def _cluster(field_name: str = "cluster") -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, label=_("Cluster (id)"))


def _between(field_name: str) -> dict[str, django_filters.DateFilter]:
    return {
        "date_from": django_filters.DateFilter(field_name=field_name, lookup_expr="gte", label=_("From")),
        "date_to": django_filters.DateFilter(field_name=field_name, lookup_expr="lte", label=_("To")),
    }


def _parts(parent_field: str, *names: str) -> Any:
    """A record's page lists its parts, each with a link to add more for those who may change the record."""

    def related(request: Any, whole: Any) -> Any:
        may_edit = can(request.user, Action.CHANGE, whole)
        sections = []
        for name in names:
            resource = REGISTRY[name]
            rows = resource.scoped(request.user).filter(**{parent_field: whole})
            add = f"{reverse(resource.url_prefix + '_add')}?{parent_field}={whole.pk}" if may_edit else ""
            sections.append(
                (resource.label, resource.table(rows, orderable=False, exclude=(parent_field,)), add)
            )
        return sections

    return related


def _overdue(queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
    overdue = {"status": ActionStatus.OPEN, "due_date__lt": timezone.localdate()}
    return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


record_resource(
    "research-settings",
    ClusterResearchSetting,
    ["cluster", "subjects", "teacher_development_school"],
    ("cluster__name__icontains", "subjects__icontains"),
    {"district": district_filter("cluster__district"), "cluster": _cluster()},
    lambda: ClusterResearchSetting.objects.select_related("cluster", "teacher_development_school"),
)
record_resource(
    "research-activities",
    ResearchActivity,
    ["cluster", "organiser", "kind", "subjects", "theme", "date", "participants", "summary"],
    ("theme__icontains", "subjects__icontains", "cluster__name__icontains"),
    {
        "district": district_filter("cluster__district"),
        "cluster": _cluster(),
        "kind": django_filters.ChoiceFilter(choices=ResearchKind.choices, label=_("Kind")),
        "subject": django_filters.CharFilter(
            field_name="subjects", lookup_expr="icontains", label=_("Subject")
        ),
        **_between("date"),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: ResearchActivity.objects.select_related("cluster", "organiser"),
    related=_parts("activity", "research-participants", "research-evidence"),
    import_url=reverse_lazy("sharing:research_import", args=["research-activities"]),
)
record_resource(
    "research-participants",
    ResearchParticipant,
    ["activity", "school", "teacher", "person_name"],
    ("person_name__icontains", "school__name__icontains", "activity__theme__icontains"),
    {"activity": django_filters.NumberFilter(field_name="activity", label=_("Activity (id)"))},
    lambda: ResearchParticipant.objects.select_related("activity", "school", "teacher"),
)
record_resource(
    "research-evidence",
    ResearchEvidence,
    ["activity", "title", "file"],
    ("title__icontains", "activity__theme__icontains"),
    {"activity": django_filters.NumberFilter(field_name="activity", label=_("Activity (id)"))},
    lambda: ResearchEvidence.objects.select_related("activity"),
)
record_resource(
    "guidance-team",
    GuidanceTeamMember,
    ["cluster", "name", "unit", "role", "subject", "start_date", "end_date"],
    ("name__icontains", "unit__icontains", "subject__icontains"),
    {
        "district": district_filter("cluster__district"),
        "cluster": _cluster(),
        "role": django_filters.ChoiceFilter(choices=GuidanceRole.choices, label=_("Role")),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: GuidanceTeamMember.objects.select_related("cluster"),
)
record_resource(
    "supervisory-visits",
    SupervisoryVisit,
    ["cluster", "school", "date", "visitors", "findings", "diagnosis"],
    ("school__name__icontains", "findings__icontains", "diagnosis__icontains"),
    {
        "district": district_filter("cluster__district"),
        "cluster": _cluster(),
        "school": django_filters.NumberFilter(field_name="school", label=_("School (id)")),
        **_between("date"),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: SupervisoryVisit.objects.select_related("cluster", "school"),
    related=_parts("visit", "follow-up-actions"),
)
record_resource(
    "follow-up-actions",
    FollowUpAction,
    ["visit", "action", "responsible", "due_date", "status", "done_on"],
    ("action__icontains", "responsible__icontains", "visit__school__name__icontains"),
    {
        "district": district_filter("visit__cluster__district"),
        "visit": django_filters.NumberFilter(field_name="visit", label=_("Visit (id)")),
        "status": django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status")),
        "overdue": django_filters.BooleanFilter(method=_overdue, label=_("Overdue")),
    },
    lambda: FollowUpAction.objects.select_related("visit__school"),
)
record_resource(
    "probations",
    NewTeacherProbation,
    ["cluster", "teacher", "name", "staff_number", "probation_school", "start_date", "end_date"],
    ("name__icontains", "staff_number__icontains", "probation_school__name__icontains"),
    {
        "district": district_filter("cluster__district"),
        "cluster": _cluster(),
        "probation_school": django_filters.NumberFilter(
            field_name="probation_school", label=_("School (id)")
        ),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: NewTeacherProbation.objects.select_related("cluster", "teacher", "probation_school"),
)
