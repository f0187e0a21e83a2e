"""One FilterSet per model of teacher flow: the list page, its export and the API filter through the same class."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet
from junheng.organisations.filtersets import district_filter

from .choices import BackboneTier, Cadre, Rating, RotationKind, RotationStatus, TeachingStage
from .models import EligibilityExclusion, Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher


def _number(field_name: str, label: object) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, label=label)


class TeacherFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "staff_number__icontains", "subject__icontains")
    district = district_filter("employer__district")
    employer = _number("employer", _("Employer (id)"))
    stage = django_filters.ChoiceFilter(choices=TeachingStage.choices, label=_("Stage"))
    backbone_tier = django_filters.ChoiceFilter(choices=BackboneTier.choices[1:], label=_("Backbone tier"))
    cadre = django_filters.ChoiceFilter(choices=Cadre.choices[1:], label=_("Cadre"))
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = Teacher
        fields = ["q", "district", "employer", "stage", "backbone_tier", "cadre", "is_demo"]


class EmploymentFilterSet(SearchFilterSet):
    search_fields = (
        "teacher__name__icontains",
        "teacher__staff_number__icontains",
        "school__name__icontains",
    )
    district = district_filter("school__district")
    teacher = _number("teacher", _("Teacher (id)"))
    current = django_filters.BooleanFilter(
        field_name="end_date", lookup_expr="isnull", label=_("Current employment")
    )

    class Meta:
        model = Employment
        fields = ["q", "district", "teacher", "current"]


class EligibilityExclusionFilterSet(SearchFilterSet):
    search_fields = ("teacher__name__icontains", "teacher__staff_number__icontains", "reason__icontains")
    district = district_filter("teacher__employer__district")
    school_year = _number("school_year", _("School year"))
    teacher = _number("teacher", _("Teacher (id)"))

    class Meta:
        model = EligibilityExclusion
        fields = ["q", "district", "school_year", "teacher"]


class RotationFilterSet(SearchFilterSet):
    search_fields = (
        "teacher__name__icontains",
        "teacher__staff_number__icontains",
        "host__name__icontains",
        "from_school__name__icontains",
        "team__icontains",
    )
    district = district_filter("from_school__district", _("Sending district"))
    status = django_filters.ChoiceFilter(choices=RotationStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=RotationKind.choices, label=_("Kind"))
    teacher = _number("teacher", _("Teacher (id)"))
    host = _number("host", _("Receiving school (id)"))
    from_school = _number("from_school", _("Sending school (id)"))
    started_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("From"))
    started_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Rotation
        fields = [
            "q",
            "district",
            "status",
            "kind",
            "teacher",
            "host",
            "from_school",
            "started_from",
            "started_to",
        ]


class RotationAppraisalFilterSet(SearchFilterSet):
    search_fields = (
        "rotation__teacher__name__icontains",
        "rotation__host__name__icontains",
        "note__icontains",
    )
    district = district_filter("rotation__host__district", _("Receiving district"))
    school_year = _number("school_year", _("School year"))
    rating = django_filters.ChoiceFilter(choices=Rating.choices, label=_("Rating"))
    rotation = _number("rotation", _("Rotation (id)"))

    class Meta:
        model = RotationAppraisal
        fields = ["q", "district", "school_year", "rating", "rotation"]


class StaffingPlanFilterSet(SearchFilterSet):
    search_fields = ("cluster__name__icontains",)
    district = district_filter("cluster__district")
    school_year = _number("school_year", _("School year"))
    filed = django_filters.BooleanFilter(
        field_name="filed_on", lookup_expr="isnull", exclude=True, label=_("Filed with the district")
    )

    class Meta:
        model = StaffingPlan
        fields = ["q", "district", "school_year", "filed"]
