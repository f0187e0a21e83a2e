"""Satisfaction surveys: the answer page a one-time link opens (no login), the links a bureau issues for a school,
and the sheet of answers collected on paper."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.choices import Action
from junheng.core.exports import CONTENT_TYPES, as_attachment, write_xlsx
from junheng.core.scope import access_object
from junheng.core.tabular import TabularImport
from junheng.core.views import TabularImportView
from junheng.organisations.models import School

from ..imports import survey_import
from ..models import Survey, SurveyInvitation
from ..models.surveys import Answer
from ..surveys import invitations_issue, survey_answer


class SurveyAnswerView(View):
    """Anyone holding the link answers once; the link names the survey and the school, nothing else."""

    def _invitation(self, token: str) -> SurveyInvitation:
        return get_object_or_404(SurveyInvitation.objects.select_related("survey", "school"), token=token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self._render(self._invitation(token), {}, [])

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(token)
        answers = {key[1:]: _number(request.POST.get(key, "")) for key in request.POST if key.startswith("q")}
        try:
            survey_answer(token=token, answers=answers)
        except ValidationError as invalid:
            return self._render(invitation, answers, invalid.messages)
        return render(request, "evaluation/survey_thanks.html", {"survey": invitation.survey})

    def _render(
        self, invitation: SurveyInvitation, answers: dict[str, Any], errors: list[str]
    ) -> HttpResponse:
        return render(
            self.request,
            "evaluation/survey_answer.html",
            {
                "invitation": invitation,
                "questions": invitation.survey.questions.all(),
                "choices": Answer.choices,
                "answers": answers,
                "errors": errors,
                "used": invitation.used_at is not None,
            },
        )


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class SurveyLinksView(LoginRequiredMixin, View):
    """Issues links for one school of the survey's district and hands them over as a sheet to pass on."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = access_object(Survey, request.user, pk, Action.CHANGE)
        school_id = request.POST.get("school", "")
        school = School.objects.filter(pk=school_id).first() if school_id.isdigit() else None
        if school is None:
            raise Http404
        count = _number(request.POST.get("count", "")) or 0
        try:
            issued = invitations_issue(actor=request.user, survey=survey, school=school, count=count)
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
            return redirect(survey)
        stream = io.BytesIO()
        rows = [["学校", "问卷链接（每个链接只能填写一次）"]]
        rows += [[school.name, request.build_absolute_uri(i.get_absolute_url())] for i in issued]
        write_xlsx(rows, stream, _("Links"))
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["xlsx"])
        name = f"{survey}-{school.name}-{_('survey links')}.xlsx"
        return as_attachment(response, name, f"survey-{survey.pk}-links.xlsx")


def survey_sheet(actor: Any, key: str) -> TabularImport:
    """The answer sheet of a survey the actor may change (the page, and the worker that imports it)."""
    return survey_import(access_object(Survey, actor, key, Action.CHANGE))


class SurveyImportView(TabularImportView):
    job_factory = "junheng.evaluation.views.surveys.survey_sheet"

    def spec(self, pk: int) -> Any:  # type: ignore[override]  # one survey's sheet: the URL names the survey, not a kind
        return survey_sheet(self.request.user, str(pk))

    def job_key(self, pk: int) -> str:  # type: ignore[override]  # likewise
        return str(pk)

    def result_url(self, pk: int) -> str:  # type: ignore[override]  # likewise
        return access_object(Survey, self.request.user, pk).get_absolute_url()
