"""Pages anyone may read without logging in: published cases (R-B14) and published transparency reports (R-B12).
Nothing unpublished, and nothing else, is reachable from here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from .funds import funds_by_district
from .models import CaseStudy, PublicationStatus, TransparencyReport

PUBLISHED = {"status": PublicationStatus.PUBLISHED}


def index(request: HttpRequest) -> HttpResponse:
    cases = CaseStudy.objects.filter(**PUBLISHED).select_related("pairing__supported_school__district")
    reports = TransparencyReport.objects.filter(**PUBLISHED).select_related("round")
    return render(request, "public/index.html", {"cases": cases, "reports": reports})


def case(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        CaseStudy.objects.filter(**PUBLISHED).select_related(
            "pairing__supported_school__district",
            "pairing__supporting_school",
            "pairing__supporting_institution",
        ),
        pk=pk,
    )
    return render(request, "public/case.html", {"case": found})


def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(TransparencyReport.objects.filter(**PUBLISHED).select_related("round"), pk=pk)
    return render(
        request, "public/report.html", {"report": found, "funds": funds_by_district(found.round, found.year)}
    )


app_name = "public"
urlpatterns = [
    path("", index, name="index"),
    path("cases/<int:pk>/", case, name="case"),
    path("transparency/<int:pk>/", report, name="report"),
]
