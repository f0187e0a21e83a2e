"""An application's pages beyond the registry's: its steps, its dossier as a page, and the dossier as Word or
PDF. Every page reaches the application through the scope; a step the user may not take answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.exports import as_attachment
from junheng.core.scope import access_object
from junheng.evaluation.rendering import FORMATS, RENDERERS

from .dossier import dossier
from .models import STEPS, Accreditation
from .services import take_step

PRINTED = ("docx", "pdf")


class AccreditationStepView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        if step not in STEPS:
            raise Http404
        accreditation = access_object(Accreditation, request.user, pk)
        try:
            take_step(
                actor=request.user,
                accreditation=accreditation,
                step=step,
                comment=request.POST.get("comment", "").strip(),
            )
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(accreditation.get_absolute_url())


class DossierView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        accreditation = access_object(Accreditation, request.user, pk)
        report = dossier(accreditation, viewer=request.user)
        return render(
            request, "policy/accreditation_dossier.html", {"object": accreditation, "report": report}
        )


class DossierFileView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, format: str) -> HttpResponse:
        if format not in PRINTED:
            raise Http404
        accreditation = access_object(Accreditation, request.user, pk)
        report = dossier(accreditation, viewer=request.user)
        response = HttpResponse(RENDERERS[format](report), content_type=FORMATS[format])
        name = f"{accreditation.cluster.name}-{_('application dossier')}.{format}"
        return as_attachment(response, name, f"dossier-{accreditation.pk}.{format}")
