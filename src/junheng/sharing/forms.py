"""The forms of facility sharing. Opening hours are written one line per weekday (see `hours`); a booking is
requested for a school the user edits, at a facility the user sees."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.forms import ScopedModelForm, style_fields
from junheng.organisations.models import School

from .choices import WEEKDAYS
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


class WeeklySeriesForm(forms.Form):
    """A booking every week: the facility, the weekday and time, from a day to the end of its semester or a
    chosen day, for a school the user edits."""

    facility = forms.ModelChoiceField(label=_("facility"), queryset=Facility.objects.none())
    booking_school = forms.ModelChoiceField(label=_("booking school"), queryset=School.objects.none())
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=_("From (time)"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To (time)"), widget=forms.TimeInput(attrs={"type": "time"}))
    first_day = forms.DateField(label=_("First week from"))
    until = forms.DateField(
        label=_("Every week until"),
        required=False,
        help_text=_("Leave empty for the end of the semester."),
    )
    purpose = forms.CharField(label=_("purpose"), max_length=200)
    group_size = forms.IntegerField(label=_("group size"), min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.restrict(user).select_related("owner")  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["booking_school"].queryset = School.objects.restrict(user, Action.CHANGE)  # type: ignore[attr-defined]  # a ModelChoiceField
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A booking ends after it starts."))
        if data.get("until") and data.get("first_day") and data["until"] < data["first_day"]:
            self.add_error("until", _("The last week comes after the first."))
        return data

    def first_booking(self) -> Booking:
        """The series' first occurrence: the first of the weekdays from the first day."""
        data = self.cleaned_data
        day = data["first_day"] + timedelta(days=(data["weekday"] - data["first_day"].isoweekday()) % 7)
        zone = timezone.get_current_timezone()
        return Booking(
            facility=data["facility"],
            booking_school=data["booking_school"],
            starts_at=timezone.make_aware(datetime.combine(day, data["starts"]), zone),
            ends_at=timezone.make_aware(datetime.combine(day, data["ends"]), zone),
            purpose=data["purpose"].strip(),
            group_size=data["group_size"],
        )
