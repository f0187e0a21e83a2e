from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from .views import RosterImportView

app_name = "programmes"
urlpatterns = [
    path("roster/import/", RosterImportView.as_view(), name="roster_import"),
    *(
        url
        for name in (
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
