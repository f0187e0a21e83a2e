"""Error pages as a user meets them outside debug mode (issue 13.7): the platform's layout, Chinese text and a way
back home — 400, 403 (also a form that has expired), 404 and 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from junheng import urls as project_urls
from junheng.core import views as core_views
from junheng.organisations.choices import Role
from junheng.organisations.models import School

pytestmark = pytest.mark.django_db


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in the code")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("年份必须是 2000 至 2100 之间的整数。")


# The project's pages and handlers, and three pages that fail on purpose.
urlpatterns = [
    path("broken/", broken),
    path("refused/", refused),
    path("bad/", bad),
    path("", include(project_urls)),
]
handler400, handler403, handler404, handler500 = (
    project_urls.handler400,
    project_urls.handler403,
    project_urls.handler404,
    project_urls.handler500,
)


@pytest.fixture
def client(settings: Any, make_user: Any) -> Client:
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.SCHOOL, School.objects.get(name="月浦中心校")))
    return client


def in_layout(response: Any) -> str:
    page = response.content.decode()
    assert 'class="navbar' in page and "均衡" in page  # the platform's bar
    assert 'href="/">返回首页</a>' in page  # the way back
    assert "Not Found" not in page and "Server Error" not in page and "Forbidden" not in page
    return page


def test_404_in_the_layout_in_chinese(client: Client) -> None:
    response = client.get("/registry/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in in_layout(response)


def test_403_in_the_layout_in_chinese(client: Client) -> None:
    response = client.get("/refused/")
    assert response.status_code == 403
    assert "没有权限" in in_layout(response)


def test_400_shows_its_reason(client: Client) -> None:
    response = client.get("/bad/")
    assert response.status_code == 400
    assert "年份必须是 2000 至 2100 之间的整数。" in in_layout(response)


def test_500_is_the_platforms_page_and_needs_nothing(client: Client) -> None:
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "服务器出错" in in_layout(response)
    assert project_urls.handler500 is core_views.server_error


def test_an_expired_form_is_a_403_saying_what_to_do(settings: Any, make_user: Any) -> None:
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.SCHOOL, School.objects.get(name="月浦中心校")))
    response = client.post("/policy/runs/", {})
    assert response.status_code == 403
    assert "表单已过期" in in_layout(response)
