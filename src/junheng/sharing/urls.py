from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import facility_views, views
from .facility_imports import FACILITY_IMPORTS

app_name = "sharing"
urlpatterns = [
    path("bookings/<int:pk>/step/<str:to>/", views.BookingStepView.as_view(), name="booking_step"),
    # Facility sharing's own pages (R-D8)
    path("facilities/usage/", facility_views.UsageView.as_view(), name="facility_usage"),
    path("facilities/usage.xlsx", facility_views.UsageExportView.as_view(), name="facility_usage_xlsx"),
    path("facilities/<int:pk>/week/", facility_views.FacilityWeekView.as_view(), name="facility_week"),
    path("calendar/", facility_views.CalendarIndexView.as_view(), name="calendar"),
    path("clusters/<int:pk>/week/", facility_views.ClusterWeekView.as_view(), name="cluster_week"),
    path("bookings/weekly/", facility_views.WeeklySeriesView.as_view(), name="booking_weekly"),
    path("bookings/approvals/", facility_views.ApprovalQueueView.as_view(), name="booking_approvals"),
    path(
        "facilities/import/<str:kind>/",
        TabularImportView.as_view(imports=FACILITY_IMPORTS),
        name="facility_import",
    ),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "sharing"
        for url in resource_urls(resource)
    ),
]
