"""Generic pages over the resource registry: list (filter, sort, page, export), detail, edit, delete, history,
and the recycle bin. Every object and every list comes through the organisation scope."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Model, ProtectedError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig

from .audit import change_rows, deleted_records, list_display
from .choices import Action
from .exports import CONTENT_TYPES, FORMATS, as_attachment, export_response
from .imports import ImportFailed
from .jobs import import_job_receive
from .links import linkable
from .models import ImportJob
from .resources import REGISTRY, Resource, resource_for_model
from .scope import access_object, can, scope_for
from .services import object_delete, object_restore
from .tabular import max_import_rows

YEARS = (2000, 2100)  # the years any record of the platform can be about


def year_parameter(request: HttpRequest, name: str = "year") -> int | None:
    """A year from the query string, or None when none is given; anything else is a 400 that says why."""
    given = request.GET.get(name, "")
    if not given:
        return None
    first, last = YEARS
    if not (given.isascii() and given.isdigit() and first <= int(given) <= last):
        raise BadRequest(
            _("The year must be a whole number from %(first)d to %(last)d.") % {"first": first, "last": last}
        )
    return int(given)


class ResourceView(LoginRequiredMixin, View):
    resource: Resource = None  # type: ignore[assignment]  # set by as_view(resource=...)

    def get_object(self, pk: Any, action: str = Action.VIEW) -> Any:
        """404 when the object is missing or out of view scope; 403 when visible but not the user's to change."""
        obj = access_object(self.resource.model, self.request.user, pk)
        if action != Action.VIEW and not can(self.request.user, action, obj):
            raise PermissionDenied
        return obj

    def base_context(self, **extra: Any) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "model_label": self.resource.model._meta.verbose_name,
            "url_prefix": self.resource.url_prefix,
            **extra,
        }


class ObjectListView(ResourceView):
    per_page = 50
    max_per_page = 500

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.resource.scoped(request.user)
        filterset = self.resource.filterset(request.GET, queryset=queryset, request=request)
        problems = [] if filterset.is_valid() else [_("Some filters are not valid; see below.")]
        per_page = self._page_size(problems)
        objects = queryset.none() if problems else filterset.qs
        export = request.GET.get("export")
        if export and not problems:
            if export not in FORMATS:
                return HttpResponseBadRequest(_("Unknown export format."))
            return export_response(self.resource, objects, export)
        table = self.resource.table_for(
            request, objects
        )  # no request: it would page by the unchecked `per_page`
        RequestConfig(request, paginate=False).configure(table)  # sorting; the paging is checked here
        try:
            table.paginate(page=request.GET.get("page", 1), per_page=per_page)
        except PageNotAnInteger:
            problems.append(_("The page number must be a whole number."))
            table.paginate(page=1, per_page=per_page)
        except EmptyPage as beyond:
            raise Http404 from beyond
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "core/object_list.html",
            self.base_context(
                table=table,
                filterset=filterset,
                problems=problems,
                query=query.urlencode(),
                can_add=self.resource.may_add(request.user),
            ),
            status=400 if problems else 200,
        )

    def _page_size(self, problems: list[Any]) -> int:
        """The rows per page asked for (`per_page`), within 1 to max_per_page; anything else is a problem."""
        asked = self.request.GET.get("per_page")
        if asked is None:
            return self.per_page
        if asked.isdigit() and 1 <= int(asked) <= self.max_per_page:
            return int(asked)
        problems.append(
            _("Rows per page (per_page) must be a whole number from 1 to %(max)d.")
            % {"max": self.max_per_page}
        )
        return self.per_page


class ObjectDetailView(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        fields = []
        for name in self.resource.detail_fields:
            field = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            if isinstance(value, list):
                value = list_display(field, value)
            elif isinstance(value, FieldFile):
                value = StoredFile(value, reverse(f"{self.resource.url_prefix}_file", args=[obj.pk, name]))
            elif isinstance(value, Model) and not linkable(request.user, value):
                value = str(value)  # a partner outside the user's scope: named, not linked to a 404
            fields.append((field.verbose_name, value))
        related = self.resource.sections(request, obj)
        extra = self.resource.detail_context(request, obj) if self.resource.detail_context else {}
        return render(
            request,
            "core/object_detail.html",
            self.base_context(
                object=obj,
                fields=fields,
                related=related,
                can_edit=self.resource.form is not None and can(request.user, Action.CHANGE, obj),
                **extra,
            ),
        )


@dataclass
class StoredFile:
    """A record's file as the detail page shows it: its name, linked to the scoped download."""

    file: FieldFile
    url: str

    def __str__(self) -> str:
        return Path(self.file.name or "").name

    def get_absolute_url(self) -> str:
        return self.url if self.file else ""


class ObjectFileView(ResourceView):
    """Download a record's stored file (e.g. an interaction's evidence), only for those who may see the record."""

    def get(self, request: HttpRequest, pk: int, field: str) -> FileResponse:
        obj = self.get_object(pk)
        if field not in self.resource.detail_fields:
            raise Http404
        stored = getattr(obj, field)
        if not isinstance(stored, FieldFile) or not stored.name or not stored.storage.exists(stored.name):
            raise Http404
        return FileResponse(stored.open("rb"), as_attachment=True, filename=Path(stored.name).name)


class ObjectEditView(ResourceView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if self.resource.form is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _instance(self, pk: int | None) -> Any:
        if pk is None:
            if not self.resource.may_add(self.request.user):
                raise PermissionDenied(self.resource.add_refusal())
            return self.resource.model()
        return self.get_object(pk, Action.CHANGE)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self._instance(pk)
        initial = request.GET.dict() if pk is None else {}  # e.g. ?pairing=12 from the pairing's page
        form = self.resource.form_for(request.user, instance=instance, initial=initial)
        return self._render(form, instance)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self._instance(pk)
        form = self.resource.form_for(request.user, request.POST, request.FILES, instance=instance)
        if form.is_valid():
            try:
                saved = self.resource.saved(request.user, form.save(commit=False))
            except ValidationError as invalid:
                form.add_error(None, invalid)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Saved."))
                return redirect(saved.get_absolute_url())
        return self._render(form, instance)

    def _render(self, form: Any, instance: Any) -> HttpResponse:
        return render(self.request, "core/object_edit.html", self.base_context(form=form, object=instance))


class ObjectDeleteView(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(
            request, "core/object_delete.html", self.base_context(object=self.get_object(pk, Action.CHANGE))
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk, Action.CHANGE)
        try:
            object_delete(actor=request.user, instance=obj)
        except ProtectedError:
            messages.error(
                request, _("“%(name)s” cannot be deleted while other records refer to it.") % {"name": obj}
            )
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted “%(name)s”. An administrator can restore it.") % {"name": obj})
        return redirect(f"{self.resource.url_prefix}_list")


class ObjectHistoryView(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return render(
            request, "core/object_history.html", self.base_context(object=obj, rows=change_rows(obj))
        )


def _require_administrator(request: HttpRequest) -> None:
    if not scope_for(request.user, Action.CHANGE).everything:
        raise Http404


class RecycleBinView(LoginRequiredMixin, View):
    """Deleted records of every resource, restorable by an administrator."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_administrator(request)
        return render(request, "core/recycle_bin.html", {"records": deleted_records(REGISTRY.values())})


class RestoreView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, resource_name: str, history_id: int) -> HttpResponse:
        _require_administrator(request)
        resource = REGISTRY.get(resource_name)
        if resource is None:
            raise Http404
        deletions = resource.model.history.filter(history_type="-")  # type: ignore[attr-defined]  # added by simple-history
        record = get_object_or_404(deletions, history_id=history_id)
        if resource.model._default_manager.filter(pk=record.id).exists():
            messages.info(request, _("This record exists already."))
        else:
            try:
                restored = object_restore(actor=request.user, history_record=record)
            except ValidationError as invalid:
                messages.error(
                    request, _("Cannot restore: %(error)s") % {"error": "; ".join(invalid.messages)}
                )
                return redirect("core:recycle_bin")
            messages.success(request, _("Restored “%(name)s”.") % {"name": restored})
        return redirect(reverse("core:recycle_bin"))


def resource_urls(resource: Resource) -> list[Any]:
    """The pages of one resource, named <model>_list, _detail, _add, _edit, _delete, _history."""
    model = resource.model._meta.model_name
    pages = [
        path("", ObjectListView.as_view(resource=resource), name=f"{model}_list"),
        path("<int:pk>/", ObjectDetailView.as_view(resource=resource), name=f"{model}_detail"),
        path("<int:pk>/history/", ObjectHistoryView.as_view(resource=resource), name=f"{model}_history"),
        path("<int:pk>/file/<str:field>/", ObjectFileView.as_view(resource=resource), name=f"{model}_file"),
    ]
    if resource.form is not None:
        pages += [
            path("add/", ObjectEditView.as_view(resource=resource), name=f"{model}_add"),
            path("<int:pk>/edit/", ObjectEditView.as_view(resource=resource), name=f"{model}_edit"),
            path("<int:pk>/delete/", ObjectDeleteView.as_view(resource=resource), name=f"{model}_delete"),
        ]
    return [path(f"{resource.name}/", include(pages))]


class TabularImportView(LoginRequiredMixin, View):
    """Upload a sheet of records of one kind, or download its template. The request only keeps the file: the
    background worker checks and saves it (nothing unless every row is right), and the page shows that job
    (`?job=ID`) — its progress while it runs, then what was saved or the errors by row and column. A job is
    seen only by the user who started it (and the municipal commission)."""

    imports: dict[str, Any] = None  # type: ignore[assignment]  # kind -> TabularImport, set by as_view(...)
    # How the worker finds the sheet again: a function (actor, key) -> TabularImport, with the key from the URL.
    job_factory = "junheng.core.tabular.registered_import"

    def spec(self, kind: str) -> Any:
        """The sheet's kind, from the URL; a view for one object's sheet (its kwargs differ) overrides this."""
        spec = self.imports.get(kind)
        if spec is None or spec.model is None:
            raise Http404
        try:
            resource = resource_for_model(spec.model)
        except LookupError:  # records with no list page: who may add such rows may import them
            manager: Any = spec.model._default_manager  # every domain manager is a RestrictedQuerySet's
            if not manager.creatable(scope_for(self.request.user, Action.CHANGE)):
                raise PermissionDenied(manager.creation_refusal()) from None
            return spec
        if not resource.may_add(self.request.user):
            raise PermissionDenied(resource.add_refusal())
        return spec

    def job_key(self, kind: str) -> str:
        """What `job_factory` is given for this page's sheet; overridden with `spec`."""
        return kind

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        spec = self.spec(**kwargs)
        if request.GET.get("template"):
            response = HttpResponse(spec.template(request.user), content_type=CONTENT_TYPES["xlsx"])
            return as_attachment(response, f"{spec.title}-{_('template')}.xlsx", f"{spec.kind}-template.xlsx")
        job = None
        if "job" in request.GET:
            job = access_object(ImportJob, request.user, request.GET["job"])
            if job.factory != self.job_factory or job.key != self.job_key(**kwargs):
                raise Http404  # a job of another page
            if request.headers.get("HX-Request"):  # the job page polling for progress
                return render(
                    request, "core/_import_job.html", {"job": job, "result": self.result_url(**kwargs)}
                )
        return self._render(spec, job=job, result=self.result_url(**kwargs))

    def result_url(self, **kwargs: Any) -> str:
        """Where the imported records are shown: the list of the records whose import page this is."""
        for resource in REGISTRY.values():
            if resource.import_url and str(resource.import_url) == self.request.path:
                return reverse(f"{resource.url_prefix}_list")
        return ""

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        spec = self.spec(**kwargs)
        upload = request.FILES.get("file")
        errors: list[Any] = []
        if upload is None:
            errors = [_("Choose a file.")]
        else:
            try:
                job = import_job_receive(
                    actor=request.user,
                    spec=spec,
                    factory=self.job_factory,
                    key=self.job_key(**kwargs),
                    page=request.path,
                    file=upload,
                )
            except ImportFailed as failed:
                errors = failed.errors
            else:
                return redirect(job.get_absolute_url())
        return self._render(spec, errors=errors)

    def _render(self, spec: Any, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            "core/tabular_import.html",
            {"spec": spec, "max_rows": max_import_rows(), **extra},
        )


# Error pages in the platform's layout -----------------------------------------------------------------------------

ERROR_PAGES = {
    400: (
        gettext_lazy("The request cannot be answered"),
        gettext_lazy("A value in the address or the form is not valid."),
    ),
    403: (
        gettext_lazy("Not allowed"),
        gettext_lazy("Your role does not allow this. Ask your organisation's administrator if you need it."),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy("The page does not exist, or it is outside the organisations you may see."),
    ),
}


def error_page(status: int) -> Any:
    """A handler for the URL configuration. A 400's or 403's own message is shown (it is written for the user);
    a 404 says nothing of why, so that "missing" and "not yours" look alike."""

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        title, explanation = ERROR_PAGES[status]
        detail = str(exception) if status != 404 and exception is not None and exception.args else ""
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail or str(title)}, status=status)
        context = {"title": title, "explanation": explanation, "detail": detail}
        return render(request, "error.html", context, status=status)

    return handler


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page too old (or from elsewhere): the 403 page, saying what to do."""
    expired = PermissionDenied(_("The form has expired. Reload the page and send it again."))
    response: HttpResponse = error_page(403)(request, expired)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: a template that needs no context, no database and no translation, since any of them may be
    what failed; plain text if even that cannot be read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "服务器出错"}, status=500)
    try:
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    except Exception:  # the last answer: nothing more may go wrong here
        return HttpResponse("服务器出错，请稍后再试。", content_type="text/plain; charset=utf-8", status=500)
