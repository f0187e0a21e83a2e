"""The pages of facility sharing beyond the registry's lists: the usage report and its workbook, a facility's
week calendar and a cluster's, a weekly series booked from a form with each week's outcome, and the requests
waiting for the owner school's approval. Every page reads through the organisation scope."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.exports import CONTENT_TYPES, as_attachment, write_workbook
from junheng.core.periods import Semester
from junheng.core.resources import REGISTRY
from junheng.core.scope import access_object
from junheng.organisations.models import Cluster

from .approvals import waiting_for_approval
from .forms import WeeklySeriesForm
from .models import Facility
from .services import booking_request_weekly
from .usage import month_of, next_month, previous_month, usage_report, usage_sheets
from .week import cluster_week, facility_week, monday_of


class UsageView(LoginRequiredMixin, View):
    """Hours booked per facility in a month, and by which schools."""

    def get(self, request: HttpRequest) -> HttpResponse:
        month = month_of(request.GET.get("month"))
        return render(
            request,
            "sharing/usage.html",
            {
                "month": month,
                "previous": previous_month(month),
                "next": next_month(month),
                "report": usage_report(request.user, month),
            },
        )


class UsageExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        month = month_of(request.GET.get("month"))
        stream = io.BytesIO()
        write_workbook(usage_sheets(usage_report(request.user, month), month), stream)
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["xlsx"])
        return as_attachment(
            response, f"{_('Facility usage')}-{month:%Y-%m}.xlsx", f"facility-usage-{month:%Y-%m}.xlsx"
        )


class FacilityWeekView(LoginRequiredMixin, View):
    """A facility's week on a grid, with the weeks before and after."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        facility = access_object(Facility, request.user, pk)
        grid = facility_week(request.user, facility, monday_of(request.GET.get("week")))
        may_book = REGISTRY["bookings"].may_add(request.user)
        return render(
            request, "sharing/week.html", {"facility": facility, "grid": grid, "may_book": may_book}
        )


class ClusterWeekView(LoginRequiredMixin, View):
    """The week of every facility of a cluster's member schools, side by side."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cluster = access_object(Cluster, request.user, pk)
        monday = monday_of(request.GET.get("week"))
        rows = cluster_week(request.user, cluster, monday)
        days = rows[0].cells if rows else []
        context = {"cluster": cluster, "monday": monday, "rows": rows, "days": days}
        context["previous"], context["next"] = monday - timedelta(days=7), monday + timedelta(days=7)
        return render(request, "sharing/cluster_week.html", context)


class CalendarIndexView(LoginRequiredMixin, View):
    """The calendars the user may open: its clusters' weeks, and each facility's."""

    def get(self, request: HttpRequest) -> HttpResponse:
        clusters = Cluster.objects.restrict(request.user).select_related("district").order_by("name")[:100]
        facilities = (
            Facility.objects.restrict(request.user).select_related("owner").order_by("owner__name", "name")
        )
        return render(
            request,
            "sharing/calendar_index.html",
            {"clusters": clusters, "facilities": facilities[:200], "more": facilities.count() > 200},
        )


class WeeklySeriesView(LoginRequiredMixin, View):
    """Book a slot every week; the page then lists each week, booked or refused with the booking in its way."""

    def _may(self, request: HttpRequest) -> None:
        resource = REGISTRY["bookings"]
        if not resource.may_add(request.user):
            raise PermissionDenied(resource.add_refusal())

    def get(self, request: HttpRequest) -> HttpResponse:
        self._may(request)
        initial = {"first_day": timezone.localdate(), "facility": request.GET.get("facility")}
        form = WeeklySeriesForm(user=request.user, initial=initial)
        return self._page(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        self._may(request)
        form = WeeklySeriesForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._page(request, form)
        report = booking_request_weekly(
            actor=request.user, template=form.first_booking(), until=form.cleaned_data["until"]
        )
        return self._page(request, form, report)

    def _page(self, request: HttpRequest, form: WeeklySeriesForm, report: Any = None) -> HttpResponse:
        semester = Semester.containing(timezone.localdate())
        return render(
            request,
            "sharing/weekly.html",
            {"form": form, "report": report, "semester": semester},
        )


class ApprovalQueueView(LoginRequiredMixin, View):
    """The requests at the user's school's facilities, each with its approve and refuse buttons."""

    def get(self, request: HttpRequest) -> HttpResponse:
        waiting = waiting_for_approval(request.user)
        return render(
            request,
            "sharing/approvals.html",
            {"waiting": waiting[:200], "count": waiting.count(), "back": request.path},
        )
