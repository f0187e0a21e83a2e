"""Principals' appraisal: the scores of one form imported from a sheet whose columns are the form's items."""

from __future__ import annotations

from typing import Any

from junheng.core.choices import Action
from junheng.core.scope import access_object
from junheng.core.tabular import TabularImport
from junheng.core.views import TabularImportView

from ..imports import appraisal_import
from ..models import AppraisalForm


def appraisal_sheet(actor: Any, key: str) -> TabularImport:
    """The sheet of a form the actor may change (the page, and the worker that imports what it received)."""
    return appraisal_import(access_object(AppraisalForm, actor, key, Action.CHANGE))


class AppraisalImportView(TabularImportView):
    job_factory = "junheng.evaluation.views.appraisal.appraisal_sheet"

    def spec(self, pk: int) -> Any:  # type: ignore[override]  # one form's sheet: the URL names the form, not a kind
        return appraisal_sheet(self.request.user, str(pk))

    def job_key(self, pk: int) -> str:  # type: ignore[override]  # likewise
        return str(pk)

    def result_url(self, pk: int) -> str:  # type: ignore[override]  # likewise
        return access_object(AppraisalForm, self.request.user, pk).get_absolute_url()
