"""The forms of facility sharing. Opening hours are written one line per weekday (see `hours`); a booking is
requested for a school the user edits, at a facility the user sees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.forms import ScopedModelForm
from junheng.organisations.models import School

from .hours import check_hours, parse_hours, written_hours
from .models import Booking, Facility

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what a browser's datetime-local field reads and writes


class HoursField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "周一 08:00-17:00\n周六 09:00-12:00"})

    def prepare_value(self, value: Any) -> Any:
        return written_hours(value) if isinstance(value, dict) else value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict):  # the stored form, as a PATCH keeps it
            check_hours(value)
            return value
        return parse_hours(str(value or ""))


class FacilityForm(ScopedModelForm):
    opening_hours = HoursField(
        label=_("opening hours"),
        required=False,
        max_length=2000,
        help_text=_("One line per weekday: 周一 08:00-12:00, 13:00-17:00"),
    )
    extended_hours = HoursField(
        label=_("extended hours"),
        required=False,
        max_length=2000,
        help_text=_("Evenings, weekends and holidays, written the same way"),
    )

    class Meta:
        model = Facility
        fields = ["owner", "kind", "name", "capacity", "location", "opening_hours", "extended_hours", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = School.objects.restrict(self.user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.defaults.pop("opening_hours", None)  # an empty text is no hours, not the default's {}
        self.defaults.pop("extended_hours", None)


class BookingForm(ScopedModelForm):
    class Meta:
        model = Booking
        fields = ["facility", "booking_school", "starts_at", "ends_at", "purpose", "group_size"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A school books for itself: the booking schools offered are those the user edits.
        offered = School.objects.restrict(self.user, Action.CHANGE)
        self.fields["booking_school"].queryset = offered  # type: ignore[attr-defined]  # a ModelChoiceField
        for name in ("starts_at", "ends_at"):
            field: Any = self.fields[name]  # a DateTimeField with its DateTimeInput
            field.widget.input_type, field.widget.format = "datetime-local", LOCAL_MINUTE
            field.input_formats = [LOCAL_MINUTE, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class WeeklyForm(forms.Form):
    """Repeat the booking every week, up to a day (by default the end of its semester)."""

    until = forms.DateField(label=_("Every week until"), required=False)
