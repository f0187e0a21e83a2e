"""Language and small things (issue 13.9): Chinese unless the user chooses English, dates in one form, filters
that say 全部, the demo-data filter only where there is demo data, a favicon, downloads named in Chinese, and the
columns of every list named in Chinese."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import translation

from junheng.core.resources import REGISTRY
from junheng.organisations.choices import Role
from junheng.organisations.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(municipal: Any) -> Client:
    client = Client()
    client.force_login(municipal)
    return client


def test_a_browser_set_to_english_still_gets_chinese(client: Client) -> None:
    page = client.get("/registry/schools/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "导出 Excel" in page.content.decode() and page["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the language switch
    page = client.get("/registry/schools/", headers={"Accept-Language": "zh-CN"})
    assert "Export Excel" in page.content.decode() and page["Content-Language"] == "en"


def test_dates_read_the_same_in_both_languages(client: Client) -> None:
    chinese = client.get("/policy/editions/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/policy/editions/").content.decode()
    for page in (chinese, english):
        table = page.split("<table", 1)[1]
        assert re.search(r"<td[^>]*>\d{4}-\d{2}-\d{2}</td>", table)
        assert not re.search(
            r"\d{4}年\d{1,2}月|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.? \d", table
        )


def test_filters_offer_all_not_dashes(client: Client) -> None:
    page = client.get("/registry/schools/").content.decode()
    filters = page.split('id="filters"', 1)[1].split("</form>", 1)[0]
    assert "---------" not in filters and "未知" not in filters
    assert filters.count('<option value="" selected>全部</option>') >= 3  # district, stage, ownership
    assert '<option value="unknown" selected>全部</option>' in filters  # yes / no questions


def test_the_demo_data_filter_only_where_there_is_demo_data(client: Client, make_user: Any) -> None:
    assert 'name="is_demo"' in client.get("/registry/schools/").content.decode()  # the demo city is loaded
    principal = Client()
    principal.force_login(make_user(Role.SCHOOL, School.objects.get(name="月浦中心校")))  # a real school
    assert 'name="is_demo"' not in principal.get("/registry/schools/").content.decode()
    # asked for all the same, the filter still applies
    assert "月浦中心校" not in principal.get("/registry/schools/?is_demo=true").content.decode()


def test_every_page_has_the_favicon(client: Client) -> None:
    page = client.get("/").content.decode()
    match = re.search(r'<link rel="icon" href="([^"]+\.svg)" type="image/svg\+xml">', page)
    assert match
    icon = client.get(match[1])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]


def test_an_export_is_named_after_its_list(client: Client) -> None:
    disposition = client.get("/registry/schools/?export=xlsx")["Content-Disposition"]
    assert re.fullmatch(
        rf"attachment; filename=\"schools-\d{{8}}\.xlsx\"; filename\*=UTF-8''{quote('学校')}-\d{{8}}\.xlsx",
        disposition,
    )


def test_every_list_names_its_columns_in_chinese() -> None:
    with translation.override("zh-hans"):
        english = {
            resource.name: [str(c.header) for c in table.columns if re.search("[A-Za-z]", str(c.header))]
            for resource in REGISTRY.values()
            if (table := resource.table(resource.model._default_manager.none()))
        }
    assert {name: headers for name, headers in english.items() if headers} == {}
