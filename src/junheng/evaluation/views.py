"""Evaluation pages: monitoring results uploads (with their progress) and the clusters' evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.choices import Action
from junheng.core.imports import ImportFailed
from junheng.core.scope import access_object, scope_for
from junheng.organisations.filtersets import style_fields
from junheng.organisations.models import District

from .inputs import SCORE_COLUMNS
from .models import ScoreUpload
from .scores import LEVELS, SCORE_RANGE
from .services import may_upload_for, receive_upload, withdraw_upload


class UploadForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(
        District.objects.none(),
        required=False,
        label=gettext_lazy("District"),
        empty_label=gettext_lazy("Whole city"),
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user, Action.CHANGE)
        self.fields["district"].queryset = (  # type: ignore[attr-defined]
            District.objects.all() if scope.everything else District.objects.filter(pk__in=scope.districts)
        )
        self.fields["district"].required = not scope.everything  # only the commission loads the whole city
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.parquet"
        style_fields(self)


def _may_upload(user: Any) -> bool:
    scope = scope_for(user, Action.CHANGE)
    return scope.everything or bool(scope.districts)


class UploadListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(UploadForm(user=request.user, initial={"year": timezone.localdate().year}))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not _may_upload(request.user):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._render(form)
        district = form.cleaned_data["district"]
        if not may_upload_for(request.user, district):
            raise PermissionDenied
        try:
            upload = receive_upload(
                actor=request.user,
                year=form.cleaned_data["year"],
                district=district,
                file=form.cleaned_data["file"],
            )
        except ImportFailed as refused:
            form.add_error("file", [str(e) for e in refused.errors])
            return self._render(form)
        return redirect(upload)

    def _render(self, form: UploadForm) -> HttpResponse:
        uploads = ScoreUpload.objects.restrict(self.request.user).select_related("district", "uploaded_by")[
            :50
        ]
        return render(
            self.request,
            "evaluation/upload_list.html",
            {
                "form": form,
                "uploads": uploads,
                "may_upload": _may_upload(self.request.user),
                "columns": SCORE_COLUMNS,
                "levels": "、".join(LEVELS),
                "score_range": SCORE_RANGE,
                "max_mb": settings.JUNHENG_MAX_SCORES_BYTES // 2**20,
            },
        )


class UploadDetailView(LoginRequiredMixin, View):
    """An upload's status; while it waits or is being checked, the page refreshes itself to show the progress."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = access_object(ScoreUpload, request.user, pk)
        return render(
            request,
            "evaluation/upload_detail.html",
            {
                "upload": upload,
                "may_withdraw": upload.status == "done" and may_upload_for(request.user, upload.district),
            },
        )


class UploadWithdrawView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = access_object(ScoreUpload, request.user, pk, Action.CHANGE)
        withdraw_upload(actor=request.user, upload=upload)
        messages.success(request, _("The upload was withdrawn; its results no longer count."))
        return redirect(upload)
