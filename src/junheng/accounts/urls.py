from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("roles/grant/", views.GrantView.as_view(), name="role_grant"),
    path("roles/<int:pk>/revoke/", views.RevokeView.as_view(), name="role_revoke"),
    path("<int:pk>/deactivate/", views.DeactivateView.as_view(), name="account_deactivate"),
]
