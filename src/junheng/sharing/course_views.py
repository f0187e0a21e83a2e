"""The pages of enrolment beyond the registry's: a round's steps (close, allocate), a withdrawal, and the round's
files — the courses and applications as `junheng allocate courses` reads them, and the published result."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.scope import access_object

from .course_services import enrolment_withdraw, round_allocate, round_close, round_files
from .models import CourseApplication, CourseEnrolment, EnrolmentRound


def sees_every_application(user: Any, round_: EnrolmentRound) -> bool:
    """The files name every applicant and its choices: they are offered to whoever sees every application of the
    round (its cluster office, its district, the commission), not to a member school that sees its own."""
    every = round_.applications.count()
    return CourseApplication.objects.restrict(user).filter(round=round_).count() == every


class RoundStepView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        round_ = access_object(EnrolmentRound, request.user, pk)
        steps = {"close": round_close, "allocate": round_allocate}
        if step not in steps:
            raise Http404
        try:
            steps[step](actor=request.user, round_=round_)
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(
                request, _("Applications closed.") if step == "close" else _("Allocated by lottery.")
            )
        return redirect(round_.get_absolute_url())


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = access_object(CourseEnrolment, request.user, pk)
        try:
            enrolment_withdraw(actor=request.user, enrolment=enrolment)
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, _("Withdrawn; the seat went to the waiting list in lottery order."))
        return redirect(enrolment.get_absolute_url())


class RoundFileView(LoginRequiredMixin, View):
    FILES = {"courses.csv": "courses", "applications.csv": "applications", "result.json": "result"}

    def get(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        round_ = access_object(EnrolmentRound, request.user, pk)
        if name not in self.FILES or not sees_every_application(request.user, round_):
            raise Http404
        if name == "result.json":
            if not round_.result:
                raise Http404
            body = json.dumps(round_.result, ensure_ascii=False)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            text = round_files(round_)[self.FILES[name]]
            response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-{name}"'
        return response
