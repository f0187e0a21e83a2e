from django.urls import path

from junheng.core.views import TabularImportView

from .imports import IMPORTS

app_name = "staffing"
urlpatterns = [
    path("import/<str:kind>/", TabularImportView.as_view(imports=IMPORTS), name="import"),
]
