"""Evaluation pages: monitoring results uploads (with their progress) and the clusters' evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.choices import Action
from junheng.core.exports import CONTENT_TYPES, as_attachment
from junheng.core.forms import style_fields
from junheng.core.imports import ImportFailed
from junheng.core.scope import access_object, scope_for
from junheng.core.views import year_parameter
from junheng.organisations.choices import Stage
from junheng.organisations.models import Cluster, ClusterMembership, District, in_force_on

from ..cluster_report import cluster_report, report_year, teacher_flow_figures
from ..cluster_report.reach import HOST_HEADER, WEAKER_HEADER
from ..inputs import SCORE_COLUMNS, SCORE_HEADERS
from ..models import ClusterResult, SchoolResult, ScoreUpload, UploadStatus
from ..platform import membership_day
from ..rendering import FORMATS, RENDERERS
from ..scores import LEVELS, SCORE_RANGE, score_template
from ..services import may_upload_for, receive_upload, withdraw_upload


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
        self.fields["district"].queryset = (  # type: ignore[attr-defined]  # a ModelChoiceField, typed as Field
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
        try:  # receive_upload refuses a district the user may not load for
            upload = receive_upload(
                actor=request.user,
                year=form.cleaned_data["year"],
                district=form.cleaned_data["district"],
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
                "columns": [(c, SCORE_HEADERS[c]) for c in SCORE_COLUMNS],
                "levels": "、".join(LEVELS),
                "score_range": SCORE_RANGE,
                "max_mb": settings.JUNHENG_MAX_SCORES_BYTES // 2**20,
            },
        )


class UploadTemplateView(LoginRequiredMixin, View):
    """The scores file's template: the Chinese headers, each saying what to write."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not _may_upload(request.user):
            raise PermissionDenied
        response = HttpResponse(score_template(), content_type=CONTENT_TYPES["xlsx"])
        as_attachment(response, "监测成绩-模板.xlsx", "scores-template.xlsx")
        return response


class UploadDetailView(LoginRequiredMixin, View):
    """An upload's status; while it waits or is being checked, the page asks for its progress every two seconds
    (HTMX, `HX-Request`: only the part that changes) and, once done, says where the results now count."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = access_object(ScoreUpload, request.user, pk)
        polled = bool(request.headers.get("HX-Request"))
        return render(
            request,
            "evaluation/_upload_progress.html" if polled else "evaluation/upload_detail.html",
            {
                "upload": upload,
                "may_withdraw": upload.status == UploadStatus.DONE
                and may_upload_for(request.user, upload.district),
            },
        )


class UploadWithdrawView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = access_object(ScoreUpload, request.user, pk, Action.CHANGE)
        withdraw_upload(actor=request.user, upload=upload)
        messages.success(request, _("The upload was withdrawn; its results no longer count."))
        return redirect(upload)


class ClusterEvaluationView(LoginRequiredMixin, View):
    """The clusters' balance by year, stage and subject, and for one cluster its schools: means with their spread,
    pass shares against the district's, value added. Only what the user's scope reaches."""

    def get(self, request: HttpRequest) -> HttpResponse:
        visible = ClusterResult.objects.restrict(request.user).select_related("cluster__district")
        years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
        chosen = {key: request.GET.get(key) or "" for key in ("year", "stage", "subject", "cluster")}
        # Only a year with results in scope is taken; anything else shows the latest.
        year = next((y for y in years if str(y) == chosen["year"]), years[0] if years else None)
        results = visible.filter(year=year)
        subjects = list(results.order_by("subject").values_list("subject", flat=True).distinct())
        if chosen["stage"]:
            results = results.filter(stage=chosen["stage"])
        if chosen["subject"]:
            results = results.filter(subject=chosen["subject"])
        cluster = None
        if chosen["cluster"].isdigit():
            cluster = Cluster.objects.restrict(request.user).filter(pk=chosen["cluster"]).first()
        return render(
            request,
            "evaluation/clusters.html",
            {
                "years": years,
                "year": year,
                "chosen": chosen,
                "stages": Stage.choices[:2],
                "subjects": subjects,
                "results": results.order_by("cluster__district__code", "cluster__name", "stage", "subject"),
                "cluster": cluster,
                "report_formats": [("docx", "Word"), ("pdf", "PDF"), ("xlsx", "Excel")],
                "flow": teacher_flow_figures(cluster, year, request.user)
                if cluster and year is not None
                else None,
                "host_header": HOST_HEADER,
                "weaker_header": WEAKER_HEADER,
                "schools": _school_chart(
                    request.user, cluster, year, chosen["subject"] or (subjects[:1] or [""])[0], results
                )
                if cluster and year is not None
                else None,
            },
        )


def _school_chart(user: Any, cluster: Cluster, year: int, subject: str, results: Any) -> dict[str, Any]:
    """The cluster's member schools in one subject, for the charts."""
    members = ClusterMembership.objects.filter(in_force_on(membership_day(year)), cluster=cluster)
    rows = (
        SchoolResult.objects.restrict(user)
        .filter(year=year, subject=subject, school__in=members.values("school"))
        .select_related("school")
        .order_by("-mean")
    )
    district = results.filter(cluster=cluster, subject=subject).values_list("district_pass_share", flat=True)
    return {
        "subject": subject,
        "district_pass_share": next(iter(district), None),
        "schools": [
            {
                "name": r.school.name,
                "mean": r.mean,
                "sd": r.sd or 0,
                "pass_share": r.pass_share,
                "value_added": r.value_added,
                "students": r.students,
            }
            for r in rows
        ],
    }


class ClusterReportView(LoginRequiredMixin, View):
    """The cluster's evaluation report as a file, for a cluster in the user's scope."""

    def get(self, request: HttpRequest, pk: int, format: str) -> HttpResponse:
        cluster = access_object(Cluster, request.user, pk)
        year = year_parameter(request) or report_year(cluster)
        if year is None or format not in RENDERERS:
            raise Http404
        report = cluster_report(cluster, year, viewer=request.user)
        response = HttpResponse(RENDERERS[format](report), content_type=FORMATS[format])
        name = f"{cluster.name}-{year}-{_('evaluation report')}.{format}"
        return as_attachment(response, name, f"cluster-{cluster.pk}-{year}.{format}")
