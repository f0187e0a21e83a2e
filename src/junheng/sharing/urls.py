from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import research_views, views
from .research_imports import IMPORTS as RESEARCH_IMPORTS

app_name = "sharing"
urlpatterns = [
    path("bookings/<int:pk>/step/<str:to>/", views.BookingStepView.as_view(), name="booking_step"),
    path(
        "research/import/<str:kind>/",
        TabularImportView.as_view(imports=RESEARCH_IMPORTS),
        name="research_import",
    ),
    path("supervisory-visits/report/", research_views.VisitReportView.as_view(), name="visit_report"),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "sharing"
        for url in resource_urls(resource)
    ),
]
