"""Generic forms: fields styled for the platform's pages, values bounded to what a database stores, and the model
form every resource edits with, offering in each choice only what the user may choose."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)

from .scope import MAX_ID

# The one format a browser's date field reads and writes (an <input type="date"> shows any other value empty and
# refuses to submit the form).
ISO_DATE = "%Y-%m-%d"


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes for a multiple choice: each box is styled (form-check-input), not the list around them, which
    Django would otherwise give the same class and so squeeze into a box's size."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("class", None)  # the options keep theirs
        return context


def style_fields(form: Any) -> None:
    """Bootstrap classes on every widget, small for the filter bar; dates as the browser's date picker, in ISO; a
    required choice with only one option offered comes chosen."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"
            field.widget.format = ISO_DATE
        css = "form-select" if hasattr(field.widget, "choices") else "form-control"
        if getattr(field.widget, "input_type", "") == "checkbox":
            css = "form-check-input"
        field.widget.attrs.setdefault("class", css)
    if isinstance(form, forms.BaseForm) and not form.is_bound:
        _choose_only_options(form)


def _choose_only_options(form: forms.BaseForm) -> None:
    """A required select left empty whose only option is, say, the district of a one-district bureau comes with
    that option chosen, so that the form can be sent as it is served. The option is looked up when the form is
    shown (an initial value may be a callable), not when it is built."""
    initial = dict(form.initial)
    for name, field in form.fields.items():
        if not field.required or field.disabled or initial.get(name) not in (None, ""):
            continue
        if field.initial not in (None, "") or isinstance(field, forms.MultipleChoiceField):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
            initial[name] = _only_option(field)
    form.initial = initial


def _only_option(field: forms.ChoiceField | forms.ModelChoiceField[Any]) -> Callable[[], Any]:
    def only() -> Any:
        if isinstance(field, forms.ModelChoiceField):
            options = list(field.queryset[:2]) if field.queryset is not None else []
        else:
            choices = cast(Iterable[tuple[Any, Any]], field.choices)  # flat: no select groups are offered
            options = [value for value, _label in choices if value not in (None, "")]
        return options[0] if len(options) == 1 else None

    return only


def bound_values(form: forms.Form) -> None:
    """Numbers and ids a filter accepts stay within what a database stores, so that a value such as
    999999999999999999999999 is an invalid choice (400) instead of an overflow in the query (500)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not field.to_field_name:
            field.to_python = _refusing_huge_ids(field)  # type: ignore[method-assign]  # bounds the field's own parsing
        elif isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
            field.validators += [MinValueValidator(-MAX_ID), MaxValueValidator(MAX_ID)]
        elif isinstance(field, forms.CharField):
            field.validators.append(ProhibitNullCharactersValidator())
            field.max_length = field.max_length or 200
            field.validators.append(MaxLengthValidator(field.max_length))


def _refusing_huge_ids(field: forms.ModelChoiceField[Any]) -> Any:
    parse = field.to_python

    def to_python(value: Any) -> Any:
        text = str(value).strip()
        if text.isdigit() and int(text) > MAX_ID:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
        return parse(value)

    return to_python


def _model_field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class ScopedModelForm(forms.ModelForm[Any]):
    """Offers in each choice field only what the user may edit; the scope re-check on save has the last word."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # A field with a default may be left out (by the API, by an import); it then takes its default.
        self.defaults = {
            name: model_field.get_default()
            for name in self.fields
            if (model_field := _model_field(self._meta.model, name)) is not None and model_field.has_default()
        }
        for name in self.defaults:
            self.fields[name].required = False
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                offered_to = getattr(field.queryset.model._default_manager, "offered_to", None)
                if offered_to is not None:
                    field.queryset = offered_to(user, getattr(self.instance, f"{name}_id", None))
        style_fields(self)  # last: the options offered are known

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, default in self.defaults.items():
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = default
        return cleaned
