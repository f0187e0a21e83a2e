"""Every form the site serves can be sent as it is served (issue 13.1): a date field's value is the ISO date a
browser's date picker reads (else the browser shows it empty and refuses to submit), a number field's value is a
number, and a required select with a single option has it chosen (the district of a one-district bureau)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY
from junheng.organisations.choices import Role
from junheng.organisations.models import District, School

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_PAGES = ("admin", "api", "logout", "set_language")


def named_routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, url name) of every page of the URL configuration."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if pattern.namespace and namespace else pattern.namespace
            )
            yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


def served_forms(user: Any) -> Iterator[str]:
    """The pages that hold a form, as this user gets them: every page without parameters, and the edit page of
    the first record of each kind the user may change."""
    models = {resource.model._meta.model_name: resource for resource in REGISTRY.values()}
    for route, name in named_routes(get_resolver().url_patterns):
        if name.split(":")[-1] in NOT_PAGES or route.startswith(NOT_PAGES):
            continue
        if "<" not in route:
            yield reverse(name)
        elif name.endswith("_edit") and (resource := models.get(name.split(":")[-1].removesuffix("_edit"))):
            first = resource.scoped(user, Action.CHANGE).order_by("pk").first()
            if first is not None:
                yield reverse(name, args=[first.pk])


class Fields(HTMLParser):
    """The date and number inputs and the selects of a page, with their values and options."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.selects: list[tuple[dict[str, str | None], list[dict[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") in ("date", "number"):
            self.inputs.append(found)
        elif tag == "select":
            self.selects.append((found, []))
        elif tag == "option" and self.selects:
            self.selects[-1][1].append(found)


def faults(page: str) -> list[str]:
    fields = Fields()
    fields.feed(page)
    found = []
    for field in fields.inputs:
        value = field.get("value") or ""
        if field["type"] == "date" and value and not ISO_DATE.fullmatch(value):
            found.append(f"{field.get('name')}: date {value!r}")
        if field["type"] == "number" and value and not re.fullmatch(r"-?\d+(\.\d+)?", value):
            found.append(f"{field.get('name')}: number {value!r}")
    for select, options in fields.selects:
        offered = [o for o in options if o.get("value")]
        if "required" in select and len(offered) == 1 and "selected" not in offered[0]:
            found.append(f"{select.get('name')}: its only option is not chosen")
    return found


@pytest.fixture
def users(make_user: Any, municipal: Any) -> dict[str, Any]:
    baoshan = District.objects.get(code="310113")
    return {
        "municipal": municipal,
        "district": make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True),
        "school": make_user(Role.SCHOOL, School.objects.get(name="月浦中心校"), can_edit=True),
    }


@pytest.mark.parametrize("role", ["municipal", "district", "school"])
def test_every_form_can_be_sent_as_served(users: dict[str, Any], role: str) -> None:
    client = Client()
    client.force_login(users[role])
    pages = list(served_forms(users[role]))
    assert len(pages) > 40  # the walk reaches the record pages, not only the menus
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if page and (problems := faults(response.content.decode())):  # not a download
            found[url] = problems
    assert found == {}


def test_the_compliance_form_of_a_one_district_bureau_is_ready_to_send(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["district"])
    page = client.get("/policy/runs/").content.decode()
    assert re.search(r'<option value="310113" selected>宝山区</option>', page)
    assert re.search(r'type="date" name="as_of" value="\d{4}-\d{2}-\d{2}"', page)


def test_the_check_sees_a_date_a_browser_cannot_read() -> None:
    assert faults('<input type="date" name="as_of" value="2026/12/02">') == ["as_of: date '2026/12/02'"]
    select = '<select name="district" required><option value="">-</option><option value="1">宝山区</option></select>'
    assert faults(select) == ["district: its only option is not chosen"]
