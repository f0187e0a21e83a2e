"""Teacher flow's own pages beside the registry's: a change of employer and a rotation's steps from their record
pages, the teacher's record with its certificate, and the teachers whose rotation inside clusters counts for
promotion to school leader (R-C10)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.choices import Action
from junheng.core.exports import as_attachment
from junheng.core.scope import access_object, can

from .forms import EmployForm
from .models import Rotation, Teacher
from .record import (
    CERTIFICATES,
    CONTENT_TYPES,
    certificate_header,
    leadership_months,
    record_sections,
    teacher_record,
)
from .selectors import cluster_service_by_teacher
from .services import advance_rotation, employ, end_rotation


def _refusal(error: ValidationError) -> str:
    return "；".join(error.messages)


class EmployView(LoginRequiredMixin, View):
    """The teacher's page's form: a new employer from a date, through `employ`."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        teacher = access_object(Teacher, request.user, pk)
        if not can(request.user, Action.CHANGE, teacher):
            raise PermissionDenied(_("You may not change this teacher's employment."))
        form = EmployForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, "；".join(str(error) for error in errors))
            return redirect(teacher.get_absolute_url())
        try:
            employ(
                actor=request.user,
                teacher=teacher,
                school=form.cleaned_data["school"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as invalid:
            messages.error(request, _refusal(invalid))
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Saved."))
        return redirect(teacher.get_absolute_url())


class RotationStepView(LoginRequiredMixin, View):
    """A rotation's next step from its page: agree (the cluster office), file and start (the district bureau),
    end with the date and, when early, the reason. A step the user may not take answers 403 saying who may."""

    def post(self, request: HttpRequest, pk: int, to: str) -> HttpResponse:
        rotation = access_object(Rotation, request.user, pk)
        try:
            if to == "ended":
                on = parse_date(request.POST.get("on", "")) or timezone.localdate()
                end_rotation(
                    actor=request.user,
                    rotation=rotation,
                    on=on,
                    reason=request.POST.get("reason", "").strip(),
                )
            elif to in ("agreed", "filed", "in_progress"):
                advance_rotation(actor=request.user, rotation=rotation, to=to)
            else:
                raise Http404
        except ValidationError as invalid:
            messages.error(request, _refusal(invalid))
        else:
            messages.success(request, _("Saved."))
        return redirect(rotation.get_absolute_url())


def _today() -> date:
    return timezone.localdate()


class TeacherRecordView(LoginRequiredMixin, View):
    """A teacher's record (我的档案 for the teacher itself: /staffing/my-record/)."""

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if pk is None:
            teacher = Teacher.objects.filter(user=request.user.pk).select_related("employer").first()
            if teacher is None:
                return render(request, "staffing/teacher_record.html", {"record": None})
        else:
            teacher = access_object(Teacher, request.user, pk)
        record = teacher_record(request.user, teacher, _today())
        context = {
            "record": record,
            "header": certificate_header(),
            "rows": record.service_rows(),
            "sections": record_sections(request.user, teacher),
        }
        return render(request, "staffing/teacher_record.html", context)


class CertificateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, format: str) -> HttpResponse:
        if format not in CERTIFICATES:
            raise Http404
        teacher = access_object(Teacher, request.user, pk)
        record = teacher_record(request.user, teacher, _today())
        response = HttpResponse(CERTIFICATES[format](record), content_type=CONTENT_TYPES[format])
        name = _("Certificate of rotation service")
        return as_attachment(
            response, f"{teacher.name}-{name}.{format}", f"certificate-{teacher.pk}.{format}"
        )


class LeadershipFactorView(LoginRequiredMixin, View):
    """Teachers with at least the edition's years of rotation inside a cluster (R-C10), within the user's scope."""

    def get(self, request: HttpRequest) -> HttpResponse:
        day = _today()
        needed = leadership_months(day)
        rows: list[tuple[Any, int]] = cluster_service_by_teacher(
            Teacher.objects.restrict(request.user), day, at_least_months=needed
        )
        return render(
            request,
            "staffing/leadership_factor.html",
            {"rows": rows, "needed": needed, "years": needed / 12, "as_of": day},
        )
