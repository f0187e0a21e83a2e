"""The forms of shared courses and their enrolment. Weekly slots are written `Mon3;Thu3` (or 周一3), dated
sessions `2025-03-14;2025-04-11`; a course is offered by a school the user edits, an application names a
student the user may enter and a course of the round's cluster."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.forms import ScopedModelForm
from junheng.core.scope import scope_for
from junheng.organisations.models import School

from .allocation import canonical_slot
from .models import CourseApplication, EnrolmentRound, SharedCourse, Student

SEPARATORS = re.compile(r"[;；,，、\s]+")
CHINESE_DAYS = {
    f"周{c}": day
    for c, day in zip("一二三四五六日", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)
}


def parse_slots(text: str) -> list[str]:
    """`Mon3;Thu3` or `周一3、周四3` → ["Mon3", "Thu3"], sorted, once each; a wrong one is refused naming it."""
    slots = set()
    for word in SEPARATORS.split(text.strip()):
        if not word:
            continue
        english = CHINESE_DAYS.get(word[:2], word[:2]) + word[2:] if word[:2] in CHINESE_DAYS else word
        slot = canonical_slot(english)
        if slot is None:
            raise ValidationError(
                _("“%(slot)s” is not a weekly slot: write a weekday and a period, e.g. Mon3 or 周一3.")
                % {"slot": word}
            )
        slots.add(slot)
    return sorted(slots)


def parse_sessions(text: str) -> list[str]:
    days = set()
    for word in SEPARATORS.split(text.strip()):
        if not word:
            continue
        try:
            days.add(date.fromisoformat(word).isoformat())
        except ValueError as bad:
            raise ValidationError(_("“%(day)s” is not a date (write 2025-03-14).") % {"day": word}) from bad
    return sorted(days)


class ListField(forms.CharField):
    """A list written on one line; the stored list (as the API sends it) is taken as it is."""

    def __init__(self, parse: Any, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=2000, **kwargs)
        self.parse = parse

    def prepare_value(self, value: Any) -> Any:
        return ";".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list):
            return self.parse(";".join(str(v) for v in value))
        return self.parse(str(value or ""))


class SharedCourseForm(ScopedModelForm):
    slots = ListField(
        parse_slots,
        label=_("weekly slots"),
        help_text=_("Weekday and period, e.g. Mon3;Thu3 or 周一3；周四3"),
    )
    sessions = ListField(
        parse_sessions,
        label=_("dated sessions"),
        help_text=_("For courses without weekly slots, e.g. 2025-03-14;2025-04-11"),
    )

    class Meta:
        model = SharedCourse
        fields = [
            "school",
            "cluster",
            "school_year",
            "semester",
            "title",
            "kind",
            "subject",
            "stages",
            "grades",
            "capacity",
            "slots",
            "sessions",
            "teacher",
            "place",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.defaults.pop("slots", None)  # an empty text is no slot, not the default's []
        self.defaults.pop("sessions", None)


class StudentForm(ScopedModelForm):
    class Meta:
        model = Student
        fields = ["student_number", "name", "school"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField


class EnrolmentRoundForm(ScopedModelForm):
    class Meta:
        model = EnrolmentRound
        fields = [
            "cluster",
            "school_year",
            "semester",
            "title",
            "opens_on",
            "closes_on",
            "max_per_student",
            "seed",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from junheng.organisations.models import Cluster

        runs = Cluster.objects.whose_work(scope_for(self.user, Action.CHANGE), Action.CHANGE)
        self.fields["cluster"].queryset = runs  # type: ignore[attr-defined]  # a ModelChoiceField


class CourseApplicationForm(ScopedModelForm):
    class Meta:
        model = CourseApplication
        fields = ["round", "student", "course", "rank"]
