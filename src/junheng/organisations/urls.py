from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from .imports import IMPORTS
from .map_views import MapView

app_name = "organisations"
urlpatterns = [
    path("map/", MapView.as_view(), name="map"),
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    *(
        url
        for name in ("districts", "schools", "institutions", "clusters")
        for url in resource_urls(REGISTRY[name])
    ),
]
