from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from junheng.core.choices import Action

from .filtersets import style_fields
from .models import Cluster, District, Institution, School


def _model_field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class ScopedModelForm(forms.ModelForm):
    """Offers in each choice field only what the user may edit; the scope re-check on save has the last word."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        style_fields(self)
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
                model = field.queryset.model
                restrict = getattr(model._default_manager, "restrict", None)
                if model is District and restrict is not None:
                    field.queryset = self._editable_districts()
                elif restrict is not None:
                    # What the user sees, and the record's current choice (a pairing's supporting school in
                    # another district stays valid when its supported district edits the pairing).
                    current = getattr(self.instance, f"{name}_id", None)
                    field.queryset = model._default_manager.filter(
                        Q(pk__in=restrict(user, Action.VIEW).values("pk")) | Q(pk=current)
                    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, default in self.defaults.items():
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = default
        return cleaned

    def _editable_districts(self) -> Any:
        from junheng.core.scope import scope_for

        scope = scope_for(self.user, Action.CHANGE)
        if scope.everything:
            return District.objects.all()
        # An editor of a single school keeps its district without being able to move it elsewhere.
        current = getattr(self.instance, "district_id", None)
        return District.objects.filter(Q(pk__in=scope.districts) | Q(pk=current))


class DistrictForm(ScopedModelForm):
    class Meta:
        model = District
        fields = ["code", "name", "short_name"]


class SchoolForm(ScopedModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "code",
            "district",
            "stage",
            "school_type_code",
            "ownership",
            "latitude",
            "longitude",
            "is_new",
        ]


class InstitutionForm(ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "district", "kind"]


class ClusterForm(ScopedModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "kind", "district", "lead_school", "close_knit", "model_status", "established_on"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}
