from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import course_views, facility_views, library_views, research_views, views
from .course_imports import IMPORTS as COURSE_IMPORTS
from .facility_imports import FACILITY_IMPORTS
from .research_imports import IMPORTS as RESEARCH_IMPORTS

app_name = "sharing"
urlpatterns = [
    path("bookings/<int:pk>/step/<str:to>/", views.BookingStepView.as_view(), name="booking_step"),
    path(
        "enrolment-rounds/<int:pk>/step/<str:step>/", course_views.RoundStepView.as_view(), name="round_step"
    ),
    path(
        "enrolment-rounds/<int:pk>/files/<str:name>", course_views.RoundFileView.as_view(), name="round_file"
    ),
    path("course-enrolments/<int:pk>/withdraw/", course_views.WithdrawView.as_view(), name="withdraw"),
    path(
        "courses/import/<str:kind>/", TabularImportView.as_view(imports=COURSE_IMPORTS), name="course_import"
    ),
    path(
        "resource-versions/<int:pk>/download/",
        library_views.VersionDownloadView.as_view(),
        name="resourceversion_download",
    ),
    path("library-resources/<int:pk>/rate/", library_views.RateView.as_view(), name="libraryresource_rate"),
    path(
        "library-resources/<int:pk>/improve/",
        library_views.ImproveView.as_view(),
        name="libraryresource_improve",
    ),
    path("library-credits/", library_views.CreditsView.as_view(), name="library_credits"),
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
