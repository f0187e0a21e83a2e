from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from . import board_views, views

app_name = "policy"
urlpatterns = [
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("rotation-boards/", board_views.RotationBoardListView.as_view(), name="rotation_boards"),
    path("rotation-boards/<int:pk>/", board_views.RotationBoardView.as_view(), name="rotation_board"),
    path(
        "rotation-boards/<int:pk>/board.xlsx",
        board_views.RotationBoardExportView.as_view(),
        name="rotation_board_export",
    ),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("editions/<int:pk>/copy/", views.EditionCopyView.as_view(), name="edition_copy"),
    *resource_urls(REGISTRY["editions"]),
    *resource_urls(REGISTRY["thresholds"]),
]
