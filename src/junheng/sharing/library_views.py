"""The library's pages beyond the registry's: a version's download (counted, through the scope), rating a
resource, adding an improved version, and the report crediting builders (page and Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.choices import Action
from junheng.core.exports import CONTENT_TYPES, as_attachment
from junheng.core.scope import access_object, can
from junheng.organisations.models import Cluster

from .library_forms import RatingForm, VersionForm
from .library_report import builder_credits, credit_header, credits_xlsx
from .library_services import DOWNLOADS, resource_rate, usage_record, version_add
from .models import LibraryResource, ResourceVersion


def version_response(user: Any, version: ResourceVersion) -> HttpResponseBase:
    """The version's file (or its link), counted as a download of the user's school. The caller has checked
    that the user sees the version; a file missing from storage is a 404."""
    if version.link:
        usage_record(user=user, resource=version.resource, what=DOWNLOADS)
        return HttpResponseRedirect(version.link)
    stored = version.file
    if not stored.name or not stored.storage.exists(stored.name):
        raise Http404
    usage_record(user=user, resource=version.resource, what=DOWNLOADS)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=Path(stored.name).name)


class VersionDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        version = access_object(ResourceVersion, request.user, pk)  # outside the scope: 404, like missing
        return version_response(request.user, version)


class RateView(LoginRequiredMixin, View):
    """The user's rating and comment of a resource it sees: made or changed (one per user)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = access_object(LibraryResource, request.user, pk)
        form = RatingForm(request.POST)
        if form.is_valid():
            resource_rate(
                actor=request.user,
                resource=resource,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"].strip(),
            )
            messages.success(request, _("Thank you: your rating is saved."))
        else:
            messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect(resource.get_absolute_url())


class ImproveView(LoginRequiredMixin, View):
    """A new version of a resource, answering the feedback chosen; only its school and district add one."""

    def _resource(self, pk: int) -> LibraryResource:
        resource = access_object(LibraryResource, self.request.user, pk)
        if not can(self.request.user, Action.CHANGE, resource):
            raise PermissionDenied(_("Only the resource's school and its district may add versions."))
        return resource

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = self._resource(pk)
        return self._render(resource, VersionForm(resource=resource))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = self._resource(pk)
        form = VersionForm(request.POST, request.FILES, resource=resource)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version_add(
                    actor=request.user,
                    resource=resource,
                    file=data["file"],
                    link=data["link"],
                    note=data["note"].strip(),
                    answers=list(data["answers"]),
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect(resource.get_absolute_url())
        return self._render(resource, form)

    def _render(self, resource: LibraryResource, form: VersionForm) -> HttpResponse:
        return render(
            request=self.request,
            template_name="sharing/library/improve.html",
            context={"object": resource, "form": form},
        )


class CreditsView(LoginRequiredMixin, View):
    """Who built the resources that are used, per teacher and school (optionally one cluster's), as a page or
    an Excel workbook (`?export=xlsx`) for the teachers' records."""

    def get(self, request: HttpRequest) -> HttpResponse:
        clusters = Cluster.objects.restrict(request.user).order_by("name")
        chosen = request.GET.get("cluster", "")
        condition = Q()
        if chosen:
            if not chosen.isdigit() or not clusters.filter(pk=int(chosen)).exists():
                raise Http404
            condition = Q(cluster=int(chosen))
        credits = builder_credits(request.user, condition)
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(credits_xlsx(credits), content_type=CONTENT_TYPES["xlsx"])
            day = f"{timezone.localdate():%Y%m%d}"
            return as_attachment(
                response, f"{_('Resource builders')}-{day}.xlsx", f"library-credits-{day}.xlsx"
            )
        context = {
            "credits": credits,
            "header": credit_header(),
            "clusters": clusters.filter(
                pk__in=LibraryResource.objects.restrict(request.user).values("cluster")
            ),
            "chosen": chosen,
        }
        return render(request, "sharing/library/credits.html", context)
