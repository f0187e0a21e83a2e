from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import TabularImportView, resource_urls

from . import eligibility, views
from .imports import IMPORTS

app_name = "staffing"
urlpatterns = [
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
    path("my-record/", views.TeacherRecordView.as_view(), name="my_record"),
    path("teachers/<int:pk>/record/", views.TeacherRecordView.as_view(), name="teacher_record"),
    path(
        "teachers/<int:pk>/certificate.<str:format>",
        views.CertificateView.as_view(),
        name="teacher_certificate",
    ),
    path("teachers/<int:pk>/employ/", views.EmployView.as_view(), name="teacher_employ"),
    path("rotations/<int:pk>/step/<str:to>/", views.RotationStepView.as_view(), name="rotation_step"),
    path("eligibility/", eligibility.EligibilityIndexView.as_view(), name="eligibility"),
    path("eligibility/<int:school>/", eligibility.EligibilityView.as_view(), name="eligibility_school"),
    path("leadership-factor/", views.LeadershipFactorView.as_view(), name="leadership_factor"),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "staffing"
        for url in resource_urls(resource)
    ),
]
