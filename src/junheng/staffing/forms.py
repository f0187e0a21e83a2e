"""The forms of teacher flow. A teacher's employer is set when the teacher is added and changed only through
`services.employ` (its own form on the teacher's page), so that the employment history and the continuous years
follow every change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.forms import CheckboxList, ScopedModelForm, style_fields
from junheng.core.scope import scope_for
from junheng.organisations.models import School

from .choices import Duty
from .models import EligibilityExclusion, Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher

EMPLOYMENT_FIELDS = ("employer", "employed_since")


class TeacherForm(ScopedModelForm):
    class Meta:
        model = Teacher
        fields = [
            "name",
            "staff_number",
            "employer",
            "employed_since",
            "stage",
            "subject",
            "backbone_tier",
            "cadre",
            "title",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # shown, not edited: a change of employer is a new employment
            for name in EMPLOYMENT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Change the employer on the teacher's page (新编制学校).")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk:
            for name in EMPLOYMENT_FIELDS:
                given = self.data.get(name)
                if given not in (None, "") and str(given) != str(self.initial.get(name)):
                    self.add_error(name, _("The employer changes through a new employment, not this form."))
        return cleaned


class EmployForm(forms.Form):
    """A new employer (编制) from a date: the current employment ends the day before."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("New employer"))
    since = forms.DateField(label=_("Start date"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.restrict(user).select_related("district")  # type: ignore[attr-defined]  # a ModelChoiceField
        style_fields(self)


class EmploymentForm(ScopedModelForm):
    class Meta:
        model = Employment
        fields = ["teacher", "school", "start_date", "end_date"]


class EligibilityExclusionForm(ScopedModelForm):
    class Meta:
        model = EligibilityExclusion
        fields = ["teacher", "school_year", "reason"]


class RotationForm(ScopedModelForm):
    """The sending school's proposal (from the teacher's employer) and, later, the work done during the rotation.
    Its status, the actual end and the reason move through the workflow on the rotation's page."""

    duties = forms.MultipleChoiceField(
        choices=Duty.choices, required=False, widget=CheckboxList, label=_("duties")
    )

    class Meta:
        model = Rotation
        fields = [
            "teacher",
            "kind",
            "host",
            "start_date",
            "planned_end",
            "duties",
            "subjects",
            "team",
            "return_duty",
            "return_duty_from",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = receiving_schools(self.user, self.instance.host_id)  # type: ignore[attr-defined]  # a ModelChoiceField


def receiving_schools(user: Any, current: int | None) -> Any:
    """Where a rotation may go: the schools the user sees and every school of the districts the user works in
    (a sending school proposes into schools it does not manage)."""
    scope = scope_for(user, Action.VIEW)
    if scope.everything:
        return School.objects.all()
    districts = scope.districts | scope.home_districts
    return School.objects.filter(
        Q(district__in=districts) | Q(pk__in=School.objects.restrict(user).values("pk")) | Q(pk=current)
    )


class RotationAppraisalForm(ScopedModelForm):
    class Meta:
        model = RotationAppraisal
        fields = ["rotation", "school_year", "rating", "appraised_on", "note"]


class StaffingPlanForm(ScopedModelForm):
    class Meta:
        model = StaffingPlan
        fields = [
            "cluster",
            "school_year",
            "covers_recruitment",
            "covers_flow",
            "covers_titles",
            "covers_performance_pay",
            "filed_on",
        ]
