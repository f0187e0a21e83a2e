"""Pages, exports and API of a pairing's work records, declared once for each kind of record."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.records import RecordTable, record_resource
from junheng.organisations.filtersets import district_filter

from .funds import funds_by_district
from .models import (
    BaselineAssessment,
    CaseStudy,
    DevelopmentRecord,
    Evaluation,
    ExpertEngagement,
    FundAllocation,
    Interaction,
    ResidentAssignment,
    ReviewEvent,
    ReviewVerdict,
    ServiceRecord,
    Spending,
    SubjectDocking,
    ThreeYearPlan,
    TransparencyReport,
)


class PairingWorkTable(RecordTable):
    pairing = tables.Column(linkify=True, order_by=("pairing__supported_school__name",))


def _resource(
    name: str,
    model: Any,
    fields: list[str],
    search: tuple[str, ...],
    extra_filters: dict[str, Any],
    queryset: Any,
    pairing: bool = True,
    **options: Any,
) -> Any:
    """A resource for one kind of work record, of a pairing unless `pairing` is false."""
    filters: dict[str, Any] = dict(extra_filters)
    if pairing:
        filters["pairing"] = django_filters.NumberFilter(field_name="pairing", label=_("Pairing"))
        filters["district"] = district_filter("pairing__supported_school__district", _("Supported district"))
        fields = ["pairing", *(f for f in fields if f != "pairing")]
    return record_resource(
        name,
        model,
        fields,
        search,
        filters,
        queryset,
        table=PairingWorkTable if pairing else RecordTable,
        **options,
    )


def _of_pairings(model: Any) -> Any:
    return lambda: model.objects.select_related(
        "pairing__supported_school", "pairing__supporting_school", "pairing__supporting_institution"
    )


_resource(
    "residents",
    ResidentAssignment,
    ["pairing", "person_name", "role", "subject", "start_date", "end_date"],
    ("person_name__icontains",),
    {
        "role": django_filters.ChoiceFilter(
            choices=ResidentAssignment._meta.get_field("role").choices, label=_("Role")
        )
    },
    _of_pairings(ResidentAssignment),
    import_url=reverse_lazy("programmes:import", args=["residents"]),
)
_resource(
    "interactions",
    Interaction,
    ["pairing", "date", "kind", "activity", "participants", "subjects", "summary", "evidence"],
    ("subjects__icontains", "summary__icontains"),
    {
        "kind": django_filters.ChoiceFilter(
            choices=Interaction._meta.get_field("kind").choices, label=_("Kind")
        ),
        "activity": django_filters.ChoiceFilter(
            choices=Interaction._meta.get_field("activity").choices, label=_("Activity")
        ),
        "date_from": django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From")),
        "date_to": django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To")),
    },
    _of_pairings(Interaction),
    import_url=reverse_lazy("programmes:import", args=["interactions"]),
)
_resource(
    "baselines",
    BaselineAssessment,
    ["pairing", "assessed_on", "key_problems", "green_indicator_source"],
    ("key_problems__icontains",),
    {},
    _of_pairings(BaselineAssessment),
)
_resource(
    "plans",
    ThreeYearPlan,
    ["pairing", "title", "status", "submitted_on", "approved_on", "runs_from", "content"],
    ("title__icontains",),
    {
        "status": django_filters.ChoiceFilter(
            choices=ThreeYearPlan._meta.get_field("status").choices, label=_("Status")
        )
    },
    _of_pairings(ThreeYearPlan),
    read_only=("status", "submitted_on", "approved_on"),
    detail_actions_template="programmes/plan_actions.html",
    detail_context=lambda request, plan: plan_workflow_context(request.user, plan),
)
_resource(
    "evaluations",
    Evaluation,
    ["pairing", "kind", "completed_on", "conclusion"],
    ("conclusion__icontains",),
    {},
    _of_pairings(Evaluation),
)
_resource(
    "review-events",
    ReviewEvent,
    ["round", "district", "kind", "date", "title"],
    ("title__icontains",),
    {
        "kind": django_filters.ChoiceFilter(
            choices=ReviewEvent._meta.get_field("kind").choices, label=_("Kind")
        ),
        "district": district_filter(),
    },
    lambda: ReviewEvent.objects.select_related("round", "district"),
    pairing=False,
    import_url=reverse_lazy("programmes:import", args=["review-events"]),
)

_resource(
    "spending",
    Spending,
    ["pairing", "date", "amount", "category", "purpose"],
    ("purpose__icontains",),
    {
        "category": django_filters.ChoiceFilter(
            choices=Spending._meta.get_field("category").choices, label=_("Category")
        )
    },
    _of_pairings(Spending),
    import_url=reverse_lazy("programmes:import", args=["spending"]),
)
_resource(
    "fund-allocations",
    FundAllocation,
    ["round", "district", "year", "amount", "document_number"],
    ("document_number__icontains",),
    {"district": district_filter(), "year": django_filters.NumberFilter(label=_("Year"))},
    lambda: FundAllocation.objects.select_related("round", "district"),
    pairing=False,
)
_resource(
    "cases",
    CaseStudy,
    ["pairing", "title", "summary", "body", "status", "published_on"],
    ("title__icontains", "summary__icontains"),
    {
        "status": django_filters.ChoiceFilter(
            choices=CaseStudy._meta.get_field("status").choices, label=_("Status")
        )
    },
    _of_pairings(CaseStudy),
    read_only=("status", "published_on"),
    detail_actions_template="programmes/publication_actions.html",
    detail_context=lambda request, case: publication_context(request.user, case),
)
_resource(
    "transparency-reports",
    TransparencyReport,
    ["round", "year", "note", "status", "published_on"],
    ("note__icontains",),
    {},
    lambda: TransparencyReport.objects.select_related("round"),
    pairing=False,
    read_only=("status", "published_on"),
    detail_actions_template="programmes/transparency_actions.html",
    detail_context=lambda request, report: {
        **publication_context(request.user, report),
        "funds": funds_by_district(report.round, report.year),
    },
)

_resource(
    "experts",
    ExpertEngagement,
    ["pairing", "name", "organisation", "role", "expertise", "start_date", "end_date", "work"],
    ("name__icontains", "organisation__icontains"),
    {},
    _of_pairings(ExpertEngagement),
)
_resource(
    "subject-dockings",
    SubjectDocking,
    ["pairing", "subject", "supported_group", "supporting_contact", "started_on"],
    ("subject__icontains",),
    {},
    _of_pairings(SubjectDocking),
)
_resource(
    "service-records",
    ServiceRecord,
    ["pairing", "teacher_name", "subject", "start_date", "end_date", "hours", "rating", "summary"],
    ("teacher_name__icontains",),
    {},
    _of_pairings(ServiceRecord),
)
_resource(
    "development-records",
    DevelopmentRecord,
    ["pairing", "kind", "teacher_name", "mentor_name", "start_date", "end_date", "summary"],
    ("teacher_name__icontains", "mentor_name__icontains"),
    {
        "kind": django_filters.ChoiceFilter(
            choices=DevelopmentRecord._meta.get_field("kind").choices, label=_("Kind")
        )
    },
    _of_pairings(DevelopmentRecord),
)


def publication_context(user: Any, record: Any) -> dict[str, Any]:
    from .models import PUBLICATION_TRANSITIONS, PublicationStatus

    public_page = "public:case" if isinstance(record, CaseStudy) else "public:report"
    return {
        "next_publication": [
            (s, PublicationStatus(s).label)
            for s in sorted(PUBLICATION_TRANSITIONS[PublicationStatus(record.status)])
        ],
        "public_url": reverse_lazy(public_page, args=[record.pk]),
    }


def plan_workflow_context(user: Any, plan: ThreeYearPlan) -> dict[str, Any]:
    """What the plan's page offers: the next statuses, the experts to assign, and the user's own review."""
    from django.contrib.auth import get_user_model

    from junheng.organisations.choices import Role

    from .models import PLAN_TRANSITIONS, PlanStatus

    reviews = list(plan.reviews.select_related("expert"))
    return {
        "reviews": reviews,
        "next_statuses": [
            (s, PlanStatus(s).label) for s in sorted(PLAN_TRANSITIONS[PlanStatus(plan.status)])
        ],
        "experts": get_user_model().objects.filter(memberships__role=Role.EXPERT).distinct(),
        "my_review": next((r for r in reviews if r.expert_id == user.pk), None),
        "verdicts": ReviewVerdict.choices,
    }
