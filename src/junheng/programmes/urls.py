from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from .imports import IMPORTS
from .views import PlanActionView, ProgrammeChartsView, PublicationActionView, RosterImportView

app_name = "programmes"
urlpatterns = [
    path("roster/import/", RosterImportView.as_view(), name="roster_import"),
    path("charts/", ProgrammeChartsView.as_view(), name="charts"),
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    path("publication/<str:resource_name>/<int:pk>/", PublicationActionView.as_view(), name="publication"),
    path("plans/<int:pk>/workflow/<str:action>/", PlanActionView.as_view(), name="plan_action"),
    *(
        url
        for name in (
            "experts",
            "subject-dockings",
            "service-records",
            "development-records",
            "spending",
            "fund-allocations",
            "cases",
            "transparency-reports",
            "pairings",
            "residents",
            "interactions",
            "baselines",
            "plans",
            "evaluations",
            "review-events",
        )
        for url in resource_urls(REGISTRY[name])
    ),
]
