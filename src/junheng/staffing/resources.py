"""Teacher flow's lists, details, forms, exports and API: teachers, their employments and exclusions from
eligibility, rotations with their workflow and appraisals, and the clusters' staffing plans."""

from __future__ import annotations

from typing import Any

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY, FieldRule, Resource, Section, register
from junheng.core.scope import can, scope_for

from . import api, filtersets, forms, tables
from .models import EligibilityExclusion, Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher
from .services import next_steps, rotation_save, teacher_save


def _rotations() -> Any:
    return Rotation.objects.select_related("teacher", "from_school", "host")


def _section(
    request: Any, name: str, title: Any, rows: Any, add_query: str, exclude: tuple[str, ...]
) -> Section:
    resource = REGISTRY[name]
    table = resource.table(rows, orderable=False, exclude=exclude)
    may_add = resource.may_add(request.user)
    add_url = f"{reverse(resource.url_prefix + '_add')}?{add_query}" if may_add else ""
    return Section(title, table, add_url=add_url)


def _teacher_related(request: Any, teacher: Teacher) -> list[Section]:
    user = request.user
    return [
        _section(
            request,
            "rotations",
            _("Rotations"),
            _rotations().restrict(user).filter(teacher=teacher),
            f"teacher={teacher.pk}",
            ("teacher",),
        ),
        _section(
            request,
            "employments",
            _("Employment history"),
            Employment.objects.restrict(user).filter(teacher=teacher).select_related("school"),
            f"teacher={teacher.pk}",
            ("teacher",),
        ),
        _section(
            request,
            "eligibility-exclusions",
            _("Not eligible for rotation"),
            EligibilityExclusion.objects.restrict(user).filter(teacher=teacher),
            f"teacher={teacher.pk}",
            ("teacher",),
        ),
    ]


def _teacher_context(request: Any, teacher: Teacher) -> dict[str, Any]:
    may_employ = can(request.user, Action.CHANGE, teacher)
    return {"employ_form": forms.EmployForm(user=request.user) if may_employ else None}


def _rotation_related(request: Any, rotation: Rotation) -> list[Section]:
    appraisals = RotationAppraisal.objects.restrict(request.user).filter(rotation=rotation)
    return [
        _section(
            request,
            "rotation-appraisals",
            _("Appraisals by the receiving school"),
            appraisals.select_related("rotation__teacher", "rotation__host"),
            f"rotation={rotation.pk}",
            ("rotation",),
        )
    ]


def _rotation_context(request: Any, rotation: Rotation) -> dict[str, Any]:
    return {"next_steps": next_steps(request.user, rotation)}


def _files_plans(user: Any) -> bool:
    editing = scope_for(user, Action.CHANGE)
    return editing.everything or bool(editing.districts)


def _school_eligibility(request: Any, school: Any) -> list[Section]:
    """On a school's page: its rotation-eligible teachers this school year, linked to the eligibility page."""
    from django.utils import timezone

    from junheng.core.periods import SchoolYear

    from .eligibility import eligibility_url, rule_of
    from .selectors import eligibility

    year = SchoolYear.containing(timezone.localdate()).start_year
    rule = rule_of(year)
    found = eligibility([school.pk], year, rule.years)[school.pk]
    row = {
        "school_year": str(SchoolYear(year)),
        "eligible": found.count,
        "excluded": len(found.excluded),
        "years": rule.years,
        "url": eligibility_url(school, year),
    }
    return [Section(_("Rotation eligibility"), tables.EligibilitySummaryTable([row], orderable=False))]


register(
    Resource(
        name="teachers",
        model=Teacher,
        queryset=lambda: Teacher.objects.select_related("employer"),
        filterset=filtersets.TeacherFilterSet,
        table=tables.TeacherTable,
        schema=api.TeacherOut,
        form=forms.TeacherForm,
        save=teacher_save,
        related=_teacher_related,
        detail_actions_template="staffing/teacher_actions.html",
        detail_context=_teacher_context,
        import_url=reverse_lazy("staffing:import", args=["teachers"]),
    )
)
register(
    Resource(
        name="employments",
        model=Employment,
        queryset=lambda: Employment.objects.select_related("teacher", "school"),
        filterset=filtersets.EmploymentFilterSet,
        table=tables.EmploymentTable,
        schema=api.EmploymentOut,
        form=forms.EmploymentForm,
    )
)
register(
    Resource(
        name="eligibility-exclusions",
        model=EligibilityExclusion,
        queryset=lambda: EligibilityExclusion.objects.select_related("teacher"),
        filterset=filtersets.EligibilityExclusionFilterSet,
        table=tables.EligibilityExclusionTable,
        schema=api.EligibilityExclusionOut,
        form=forms.EligibilityExclusionForm,
    )
)
register(
    Resource(
        name="rotations",
        model=Rotation,
        queryset=_rotations,
        filterset=filtersets.RotationFilterSet,
        table=tables.RotationTable,
        schema=api.RotationOut,
        form=forms.RotationForm,
        save=rotation_save,
        extra_detail_fields=["from_school", "status", "actual_end", "end_reason"],
        related=_rotation_related,
        detail_actions_template="staffing/rotation_actions.html",
        detail_context=_rotation_context,
        import_url=reverse_lazy("staffing:import", args=["rotations"]),
    )
)
register(
    Resource(
        name="rotation-appraisals",
        model=RotationAppraisal,
        queryset=lambda: RotationAppraisal.objects.select_related("rotation__teacher", "rotation__host"),
        filterset=filtersets.RotationAppraisalFilterSet,
        table=tables.RotationAppraisalTable,
        schema=api.RotationAppraisalOut,
        form=forms.RotationAppraisalForm,
    )
)
register(
    Resource(
        name="staffing-plans",
        model=StaffingPlan,
        queryset=lambda: StaffingPlan.objects.select_related("cluster"),
        filterset=filtersets.StaffingPlanFilterSet,
        table=tables.StaffingPlanTable,
        schema=api.StaffingPlanOut,
        form=forms.StaffingPlanForm,
        # Filing (备案) is the district bureau's act, not the cluster's.
        field_rules={
            "filed_on": FieldRule(
                _files_plans, _("Only the district bureau records that a staffing plan is filed with it.")
            )
        },
    )
)

REGISTRY["schools"].more_related.append(_school_eligibility)
