"""Principals' appraisal: the scores of one form imported from a sheet whose columns are the form's items."""

from __future__ import annotations

from typing import Any

from junheng.core.choices import Action
from junheng.core.scope import access_object
from junheng.core.views import TabularImportView

from ..imports import appraisal_import
from ..models import AppraisalForm


class AppraisalImportView(TabularImportView):
    def spec(self, pk: int) -> Any:  # type: ignore[override]
        return appraisal_import(access_object(AppraisalForm, self.request.user, pk, Action.CHANGE))
