from django.urls import path

from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

from . import role_views

app_name = "organisations"
urlpatterns = [
    path("roles/", role_views.RoleListView.as_view(), name="role_list"),
    path("roles/grant/", role_views.GrantView.as_view(), name="role_grant"),
    path("roles/<int:pk>/revoke/", role_views.RevokeView.as_view(), name="role_revoke"),
    path("accounts/<int:pk>/deactivate/", role_views.DeactivateView.as_view(), name="account_deactivate"),
    *(
        url
        for name in ("districts", "schools", "institutions", "clusters")
        for url in resource_urls(REGISTRY[name])
    ),
]
