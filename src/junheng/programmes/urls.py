from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from .views import RosterImportView

app_name = "programmes"
urlpatterns = [
    path("roster/import/", RosterImportView.as_view(), name="roster_import"),
    *resource_urls(REGISTRY["pairings"]),
]
