"""The evaluation's records and results as lists, details, exports and API resources."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.editions import thresholds_on
from junheng.core.records import record_resource
from junheng.core.resources import REGISTRY
from junheng.core.scope import can
from junheng.organisations.choices import Stage
from junheng.organisations.filtersets import district_filter
from junheng.organisations.models import Cluster, School

from .forms import PrincipalAppraisalForm
from .models import (
    AppraisalForm,
    AppraisalItem,
    ClusterResult,
    DistrictResult,
    GreenIndicatorRecord,
    PrincipalAppraisal,
    ResourceRecord,
    SchoolResult,
    Survey,
    SurveyQuestion,
)
from .models.balance import RESOURCE_STAGES, GreenIndex, ResourceIndicator
from .models.surveys import Audience
from .selectors import CLUSTER_SHARE_KEY, school_year_end
from .surveys import satisfaction_by_cluster, satisfaction_by_school


def _year(field_name: str = "year") -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, label=_("Year"))


def _stage(choices: Any) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=choices, label=_("Stage"))


record_resource(
    "resource-records",
    ResourceRecord,
    ["school", "school_year", "stage", "students", *ResourceIndicator.values],
    ("school__name__icontains", "school__code__icontains"),
    {
        "district": district_filter("school__district"),
        "school_year": _year("school_year"),
        "stage": _stage(RESOURCE_STAGES),
    },
    lambda: ResourceRecord.objects.select_related("school"),
    import_url=reverse_lazy("evaluation:import", args=["resources"]),
)
record_resource(
    "green-indicators",
    GreenIndicatorRecord,
    ["school", "year", *GreenIndex.values],
    ("school__name__icontains", "school__code__icontains"),
    {"district": district_filter("school__district"), "year": _year()},
    lambda: GreenIndicatorRecord.objects.select_related("school"),
    import_url=reverse_lazy("evaluation:import", args=["green-indicators"]),
)
record_resource(
    "school-results",
    SchoolResult,
    ["year", "school", "subject", "students", "mean", "sd", "pass_share", "change", "value_added"],
    ("school__name__icontains", "school__code__icontains", "subject"),
    {"district": district_filter("school__district"), "year": _year()},
    lambda: SchoolResult.objects.select_related("school"),
    edited=False,
)
record_resource(
    "district-results",
    DistrictResult,
    ["year", "district", "stage", "subject", "schools", "students", "pass_share"],
    ("district__name__icontains", "subject"),
    {"district": district_filter(), "year": _year(), "stage": _stage(Stage.choices)},
    lambda: DistrictResult.objects.select_related("district"),
    edited=False,
)
record_resource(
    "cluster-results",
    ClusterResult,
    [
        "year",
        "cluster",
        "stage",
        "subject",
        "schools",
        "students",
        "between_school_share",
        "weighted_cv",
        "pass_share",
        "district_pass_share",
        "weaker_schools_improved",
        "meets_model_standard",
    ],
    ("cluster__name__icontains", "subject"),
    {"district": district_filter("cluster__district"), "year": _year(), "stage": _stage(Stage.choices)},
    lambda: ClusterResult.objects.select_related("cluster"),
    edited=False,
)


def _parts(parent_field: str, *names: str) -> Any:
    """A record's page lists its parts (a form's items, a survey's questions …), each with a link to add more."""

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


def _appraisal_form_context(request: Any, form: Any) -> Any:
    share = form.cluster_share()
    in_force = thresholds_on(date(form.year, 6, 30), [CLUSTER_SHARE_KEY])  # within the appraised year
    limit = in_force[CLUSTER_SHARE_KEY].value if CLUSTER_SHARE_KEY in in_force else None
    return {
        "cluster_share": share,
        "limit": limit,
        "meets": None if share is None or limit is None else share >= limit,
        "may_import": can(request.user, Action.CHANGE, form),
    }


record_resource(
    "appraisal-forms",
    AppraisalForm,
    ["district", "year", "name"],
    ("name__icontains",),
    {"district": district_filter(), "year": _year()},
    lambda: AppraisalForm.objects.select_related("district"),
    related=_parts("form", "appraisal-items", "principal-appraisals"),
    detail_actions_template="evaluation/appraisal_form_actions.html",
    detail_context=_appraisal_form_context,
)
record_resource(
    "appraisal-items",
    AppraisalItem,
    ["form", "name", "weight", "cluster_work", "order"],
    ("name__icontains",),
    {"form": django_filters.NumberFilter(field_name="form", label=_("Appraisal form"))},
    lambda: AppraisalItem.objects.select_related("form"),
)
record_resource(
    "principal-appraisals",
    PrincipalAppraisal,
    ["form", "school", "principal_name", "total", "cluster_part"],
    ("principal_name__icontains", "school__name__icontains"),
    {
        "district": district_filter("form__district"),
        "year": _year("form__year"),
        "form": django_filters.NumberFilter(field_name="form", label=_("Appraisal form")),
    },
    lambda: PrincipalAppraisal.objects.select_related("form", "school"),
    read_only=("total", "cluster_part"),
    form=PrincipalAppraisalForm,
)


def _survey_context(request: Any, survey: Any) -> Any:
    """Links issued and used, and the satisfaction of each school and cluster (clusters as they stood on 30 June
    of the survey's year)."""
    surveys = Survey.objects.filter(pk=survey.pk)
    return {
        "may_edit": can(request.user, Action.CHANGE, survey),
        "schools": survey.district.schools.order_by("name"),
        "issued": survey.invitations.count(),
        "used": survey.invitations.exclude(used_at=None).count(),
        "satisfaction": [
            (
                _("Satisfaction by school"),
                satisfaction_by_school(surveys, School.objects.restrict(request.user)),
            ),
            (
                _("Satisfaction by cluster"),
                satisfaction_by_cluster(
                    surveys, school_year_end(survey.year - 1), Cluster.objects.restrict(request.user)
                ),
            ),
        ],
    }


record_resource(
    "surveys",
    Survey,
    ["district", "year", "title", "audience"],
    ("title__icontains",),
    {
        "district": district_filter(),
        "year": _year(),
        "audience": django_filters.ChoiceFilter(choices=Audience.choices, label=_("Respondents")),
    },
    lambda: Survey.objects.select_related("district"),
    related=_parts("survey", "survey-questions"),
    detail_actions_template="evaluation/survey_actions.html",
    detail_context=_survey_context,
)
record_resource(
    "survey-questions",
    SurveyQuestion,
    ["survey", "text", "order"],
    ("text__icontains",),
    {"survey": django_filters.NumberFilter(field_name="survey", label=_("Satisfaction survey"))},
    lambda: SurveyQuestion.objects.select_related("survey"),
)
