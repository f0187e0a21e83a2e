from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import views
from .imports import IMPORTS

app_name = "evaluation"
urlpatterns = [
    path("clusters/", views.ClusterEvaluationView.as_view(), name="clusters"),
    path("clusters/<int:pk>/report.<str:format>", views.ClusterReportView.as_view(), name="cluster_report"),
    path("resources/", views.ResourceBalanceView.as_view(), name="resources"),
    path("uploads/", views.UploadListView.as_view(), name="scoreupload_list"),
    path("uploads/add/", views.UploadListView.as_view(), name="scoreupload_add"),
    path("uploads/template/", views.UploadTemplateView.as_view(), name="scoreupload_template"),
    path("uploads/<int:pk>/", views.UploadDetailView.as_view(), name="scoreupload_detail"),
    path("uploads/<int:pk>/withdraw/", views.UploadWithdrawView.as_view(), name="scoreupload_withdraw"),
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    path("appraisal-forms/<int:pk>/import/", views.AppraisalImportView.as_view(), name="appraisal_import"),
    path("surveys/<int:pk>/links/", views.SurveyLinksView.as_view(), name="survey_links"),
    path("surveys/<int:pk>/import/", views.SurveyImportView.as_view(), name="survey_import"),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "evaluation"
        for url in resource_urls(resource)
    ),
]
