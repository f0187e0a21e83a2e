from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from junheng import home
from junheng.accounts.routes import router as roles_api
from junheng.core import views as core_views
from junheng.core.api import api
from junheng.evaluation.views import SurveyAnswerView
from junheng.organisations.routes import router as membership_change_api
from junheng.policy.accreditation.routes import router as accreditation_api
from junheng.policy.routes import router as compliance_api
from junheng.sharing.api import router as booking_api
from junheng.sharing.course_api import router as enrolment_api
from junheng.sharing.library_api import router as library_api
from junheng.staffing.api import router as rotation_api

api.add_router("/", compliance_api)  # findings and runs: derived records, read through their subjects' scope
api.add_router("/", roles_api)  # role administration
api.add_router("/", rotation_api)  # a rotation's workflow steps
api.add_router("/", booking_api)  # a booking's decision and cancellation, weekly series
api.add_router("/", enrolment_api)  # an enrolment round's close and allocation, a withdrawal
api.add_router("/", library_api)  # rating a library resource, downloading a version
api.add_router("/", accreditation_api)  # an application's steps: apply, recommend, accredit, return
api.add_router("/", membership_change_api)  # a membership change's decision by the district bureau

core_patterns = (
    [
        path("recycle-bin/", core_views.RecycleBinView.as_view(), name="recycle_bin"),
        path(
            "recycle-bin/<str:resource_name>/<int:history_id>/restore/",
            core_views.RestoreView.as_view(),
            name="restore",
        ),
    ],
    "core",
)

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("junheng.organisations.urls")),
    path("accounts/", include("junheng.accounts.urls")),
    path("staffing/", include("junheng.staffing.urls")),
    path("programmes/", include("junheng.programmes.urls")),
    path("sharing/", include("junheng.sharing.urls")),
    path("policy/", include("junheng.policy.urls")),
    path("evaluation/", include("junheng.evaluation.urls")),
    path("public/", include("junheng.programmes.public")),
    path("survey/<str:token>/", SurveyAnswerView.as_view(), name="survey_answer"),  # one-time links, no login
    path("audit/", include(core_patterns)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = core_views.error_page(400)
handler403 = core_views.error_page(403)
handler404 = core_views.error_page(404)
handler500 = core_views.server_error
