from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from . import library_views, views

app_name = "sharing"
urlpatterns = [
    path("bookings/<int:pk>/step/<str:to>/", views.BookingStepView.as_view(), name="booking_step"),
    path(
        "resource-versions/<int:pk>/download/",
        library_views.VersionDownloadView.as_view(),
        name="resourceversion_download",
    ),
    path("library-resources/<int:pk>/rate/", library_views.RateView.as_view(), name="libraryresource_rate"),
    path(
        "library-resources/<int:pk>/improve/",
        library_views.ImproveView.as_view(),
        name="libraryresource_improve",
    ),
    path("library-credits/", library_views.CreditsView.as_view(), name="library_credits"),
    *(
        url
        for resource in REGISTRY.values()
        if resource.model._meta.app_label == "sharing"
        for url in resource_urls(resource)
    ),
]
