from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import board_views, layout_views, plan_views, views
from .accreditation import views as accreditation_views
from .imports import IMPORTS

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
    path("rotation-plans/", plan_views.RotationPlanListView.as_view(), name="rotation_plans"),
    path(
        "rotation-plans/compare/", plan_views.RotationPlanCompareView.as_view(), name="rotation_plan_compare"
    ),
    path("rotation-plans/<int:pk>/", plan_views.RotationPlanView.as_view(), name="rotationplan_detail"),
    path(
        "rotation-plans/<int:pk>/change/",
        plan_views.RotationPlanChangeView.as_view(),
        name="rotation_plan_change",
    ),
    path(
        "rotation-plans/<int:pk>/apply/",
        plan_views.RotationPlanApplyView.as_view(),
        name="rotation_plan_apply",
    ),
    path(
        "rotation-plans/<int:pk>/<str:name>",
        plan_views.RotationPlanDownloadView.as_view(),
        name="rotation_plan_download",
    ),
    path(
        "clusters/<int:pk>/rotation-planning/",
        plan_views.RotationPlanningView.as_view(),
        name="rotation_planning",
    ),
    path("layout/", layout_views.LayoutView.as_view(), name="layout"),
    path("layout/layout.xlsx", layout_views.LayoutExportView.as_view(), name="layout_export"),
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path(
        "accreditations/<int:pk>/step/<str:step>/",
        accreditation_views.AccreditationStepView.as_view(),
        name="accreditation_step",
    ),
    path(
        "accreditations/<int:pk>/dossier/",
        accreditation_views.DossierView.as_view(),
        name="accreditation_dossier",
    ),
    path(
        "accreditations/<int:pk>/dossier.<str:format>",
        accreditation_views.DossierFileView.as_view(),
        name="accreditation_dossier_file",
    ),
    path("editions/<int:pk>/copy/", views.EditionCopyView.as_view(), name="edition_copy"),
    *resource_urls(REGISTRY["editions"]),
    *resource_urls(REGISTRY["thresholds"]),
    *resource_urls(REGISTRY["rotation-needs"]),
    *resource_urls(REGISTRY["accreditations"]),
]
