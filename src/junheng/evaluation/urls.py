from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("clusters/", views.ClusterEvaluationView.as_view(), name="clusters"),
    path("uploads/", views.UploadListView.as_view(), name="scoreupload_list"),
    path("uploads/add/", views.UploadListView.as_view(), name="scoreupload_add"),
    path("uploads/<int:pk>/", views.UploadDetailView.as_view(), name="scoreupload_detail"),
    path("uploads/<int:pk>/withdraw/", views.UploadWithdrawView.as_view(), name="scoreupload_withdraw"),
]
