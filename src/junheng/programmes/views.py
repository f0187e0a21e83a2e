"""The roster upload page (the same importer as `junheng import_roster`) and the plan's workflow actions."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.choices import Action
from junheng.core.imports import ImportFailed, check_upload
from junheng.core.scope import access_object, scope_for

from .models import (
    CaseStudy,
    Interaction,
    InteractionActivity,
    InteractionKind,
    PlanReview,
    ReviewVerdict,
    ThreeYearPlan,
    TransparencyReport,
)
from .roster import read_notice, read_workbook, roster_import, round_fields_from_notice
from .services import plan_assign_expert, plan_review_submit, plan_set_status, publication_set_status


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster file (.xlsx or the notice as .txt)"))


class RosterImportView(LoginRequiredMixin, View):
    template_name = "programmes/roster_import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not scope_for(request.user, Action.CHANGE).everything:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": RosterUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        errors: list[Any] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                suffix = check_upload(upload.name, upload.size, upload.read(4), {".txt", ".xlsx"})
                upload.seek(0)
                if suffix == ".xlsx":
                    tables, round_fields = read_workbook(upload, upload.name), {}
                else:
                    text = upload.read().decode("utf-8-sig", errors="replace")
                    tables, round_fields = read_notice(text, upload.name), round_fields_from_notice(text)
                summary = roster_import(actor=request.user, tables=tables, round_fields=round_fields)
            except ImportFailed as failed:
                errors = failed.errors
            else:
                messages.success(
                    request,
                    _(
                        "Roster imported: %(created)d pairings created, %(updated)d updated, %(unchanged)d unchanged."
                    )
                    % {
                        "created": summary.created,
                        "updated": summary.updated,
                        "unchanged": summary.unchanged,
                    },
                )
                return redirect("programmes:pairing_list")
        return render(request, self.template_name, {"form": form, "errors": errors})


class PlanActionView(LoginRequiredMixin, View):
    """The plan's workflow from its page: move it on, assign an expert, or (as that expert) review it."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        plan = access_object(ThreeYearPlan, request.user, pk)
        today = timezone.localdate()
        try:
            if action == "status":
                plan_set_status(
                    actor=request.user, plan=plan, status=request.POST.get("status", ""), on=today
                )
            elif action == "assign":
                expert = get_user_model().objects.filter(pk=request.POST.get("expert") or 0).first()
                if expert is None:
                    raise ValidationError(_("Choose an expert."))
                plan_assign_expert(actor=request.user, plan=plan, expert=expert)
            elif action == "review":
                review = PlanReview.objects.filter(plan=plan, expert=request.user.pk).first()
                if review is None:
                    raise PermissionDenied
                verdict = request.POST.get("verdict", "")
                if verdict not in ReviewVerdict.values:
                    raise ValidationError(_("Choose a verdict."))
                plan_review_submit(
                    actor=request.user,
                    review=review,
                    verdict=verdict,
                    comments=request.POST.get("comments", ""),
                    on=today,
                )
            else:
                raise Http404
        except (ValidationError, ValueError) as refused:
            messages.error(request, "；".join(getattr(refused, "messages", [str(refused)])))
        else:
            messages.success(request, _("Saved."))
        return redirect(plan.get_absolute_url())


class PublicationActionView(LoginRequiredMixin, View):
    """Publish, withdraw or reopen a case or a transparency report."""

    models: dict[str, Any] = {"cases": CaseStudy, "transparency-reports": TransparencyReport}

    def post(self, request: HttpRequest, resource_name: str, pk: int) -> HttpResponse:
        model = self.models.get(resource_name)
        if model is None:
            raise Http404
        record = access_object(model, request.user, pk)
        try:
            publication_set_status(
                actor=request.user,
                record=record,
                status=request.POST.get("status", ""),
                on=timezone.localdate(),
            )
        except (ValidationError, ValueError) as refused:
            messages.error(request, "；".join(getattr(refused, "messages", [str(refused)])))
        else:
            messages.success(request, _("Saved."))
        return redirect(record.get_absolute_url())


class ProgrammeChartsView(LoginRequiredMixin, View):
    """On-site interactions per month by supported district, and online collaboration by activity (R-B11), within
    the user's scope (a fixed number of queries)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        interactions = Interaction.objects.restrict(request.user)
        return render(
            request,
            "programmes/charts.html",
            {"chart": self._on_site_by_month(interactions), "online": self._online_by_activity(interactions)},
        )

    @staticmethod
    def _on_site_by_month(interactions: Any) -> dict[str, Any]:
        rows = (
            interactions.filter(kind=InteractionKind.ON_SITE)
            .annotate(month=TruncMonth("date"))
            .values("month", "pairing__supported_school__district__name")
            .annotate(n=Count("pk"))
            .order_by("month")
        )
        months: list[str] = []
        series: dict[str, dict[str, int]] = {}
        for row in rows:
            month = row["month"].strftime("%Y-%m")
            if month not in months:
                months.append(month)
            series.setdefault(row["pairing__supported_school__district__name"], {})[month] = row["n"]
        return {
            "months": months,
            "series": [
                {"name": name, "data": [counts.get(m, 0) for m in months]}
                for name, counts in sorted(series.items())
            ],
        }

    @staticmethod
    def _online_by_activity(interactions: Any) -> list[dict[str, Any]]:
        counts = dict(
            interactions.filter(kind=InteractionKind.ONLINE)
            .values_list("activity")
            .annotate(n=Count("pk"))
            .values_list("activity", "n")
        )
        return [
            {"name": str(label), "value": counts.get(code, 0)} for code, label in InteractionActivity.choices
        ]
