from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from . import views

app_name = "sharing"
urlpatterns = [
    path("bookings/<int:pk>/step/<str:to>/", views.BookingStepView.as_view(), name="booking_step"),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "sharing"
        for url in resource_urls(resource)
    ),
]
