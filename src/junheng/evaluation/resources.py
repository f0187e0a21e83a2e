"""The evaluation's records and results as lists, details, exports and API resources."""

from __future__ import annotations

from typing import Any

import django_filters
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.organisations.choices import Stage
from junheng.organisations.filtersets import district_filter
from junheng.organisations.records import record_resource

from .models import ClusterResult, DistrictResult, GreenIndicatorRecord, ResourceRecord, SchoolResult
from .models.balance import RESOURCE_STAGES, GreenIndex, ResourceIndicator


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
