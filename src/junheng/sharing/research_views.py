"""The report of supervisory visits (R-D6): visits per school and semester, with their follow-up actions, as a page
and as an Excel workbook. S2 asks for regular visits and sets no number, so the report judges nothing."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.exports import CONTENT_TYPES, as_attachment, write_xlsx
from junheng.core.scope import access_object
from junheng.organisations.models import Cluster

from .research_selectors import VisitRow, visits_by_school


def _headers() -> list[str]:
    return [
        _("Cluster"),
        _("School visited"),
        _("Semester"),
        _("Visits"),
        _("Follow-up actions"),
        _("Open"),
        _("Overdue"),
    ]


def _values(row: VisitRow) -> list[Any]:
    return [
        row.cluster,
        row.school,
        row.semester,
        row.visits,
        row.actions,
        row.open_actions,
        row.overdue_actions,
    ]


class VisitReportView(LoginRequiredMixin, View):
    """`?cluster=ID` narrows it to one cluster the user sees; `?format=xlsx` downloads it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        cluster = None
        if request.GET.get("cluster"):
            cluster = access_object(Cluster, request.user, request.GET["cluster"])
        today = timezone.localdate()
        rows = visits_by_school(request.user, today, cluster)
        if request.GET.get("format") == "xlsx":
            buffer = io.BytesIO()
            write_xlsx(
                [_headers(), *(_values(row) for row in rows)], buffer, _("Supervisory visits by school")
            )
            response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
            return as_attachment(
                response,
                f"{_('Supervisory visits by school')}-{today:%Y%m%d}.xlsx",
                f"visits-{today:%Y%m%d}.xlsx",
            )
        return render(
            request,
            "sharing/research/visit_report.html",
            {"rows": rows, "headers": _headers(), "cluster": cluster, "as_of": today},
        )
