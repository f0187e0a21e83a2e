from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from . import views

app_name = "policy"
urlpatterns = [
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("editions/<int:pk>/copy/", views.EditionCopyView.as_view(), name="edition_copy"),
    *resource_urls(REGISTRY["editions"]),
    *resource_urls(REGISTRY["thresholds"]),
]
