"""Forms of the evaluation's pages that the generic record forms cannot express."""

from __future__ import annotations

from typing import Any

from django import forms

from junheng.core.forms import ScopedModelForm, style_fields

from .models import AppraisalForm, AppraisalItem, PrincipalAppraisal


def item_field(item: AppraisalItem) -> str:
    return f"item_{item.pk}"


class PrincipalAppraisalForm(ScopedModelForm):
    """The principal and a score for each item of the chosen appraisal form (chosen first: ?form=ID)."""

    class Meta:
        model = PrincipalAppraisal
        fields = ["form", "school", "principal_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = self._items()
        for item in self.items:
            self.fields[item_field(item)] = forms.DecimalField(
                label=f"{item.name}（{float(item.weight):g}）",
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=self.instance.scores.get(str(item.pk)),
            )
        style_fields(self)

    def _items(self) -> list[AppraisalItem]:
        chosen = self.data.get("form") or self.initial.get("form") or self.instance.form_id
        if not str(chosen or "").isdigit():
            return []
        form = AppraisalForm.objects.restrict(self.user).filter(pk=chosen).first()
        return list(form.items.all()) if form else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.instance.scores = {
            str(item.pk): float(cleaned[item_field(item)])
            for item in self.items
            if cleaned.get(item_field(item)) is not None
        }
        return cleaned
