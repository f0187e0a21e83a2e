from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import views
from .imports import IMPORTS
from .map_views import MapView

app_name = "organisations"
urlpatterns = [
    path("map/", MapView.as_view(), name="map"),
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    path(
        "membership-changes/<int:pk>/decide/<str:decision>/",
        views.MembershipChangeDecisionView.as_view(),
        name="membership_change_decide",
    ),
    *(
        url
        for name in (
            "districts",
            "schools",
            "institutions",
            "clusters",
            "cluster-memberships",
            "school-year-counts",
            "governance-documents",
            "work-meetings",
            "membership-changes",
        )
        for url in resource_urls(REGISTRY[name])
    ),
]
