"""Bad parameters get a clear 400 or 404, never a 500: every list page's and every API list's query parameters,
paging and sorting, the pages that read their own parameters, and ids beyond any database's integers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from junheng.core.models import ApiToken
from junheng.core.resources import REGISTRY
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster

pytestmark = pytest.mark.django_db

NASTY = [
    "-1",
    "0",
    "999999999999999999999999",
    "1e309",
    "abc",
    "2024-13-45",
    "' OR 1=1 --",
    "\x00",
    "%00",
    "x" * 5000,
    "１２３",
]
PAGING = {
    "per_page": ["-1", "0", "abc", "999999999999"],
    "page": ["-1", "0", "abc", "999999999999999999999"],
    "sort": ["nonexistent", "-", "--name"],
}
HUGE_ID = "99999999999999999999999"


def list_url(resource: Any) -> str:
    prefix = {"organisations": "registry"}.get(resource.model._meta.app_label, resource.model._meta.app_label)
    return f"/{prefix}/{resource.name}/"


@pytest.fixture
def client(municipal: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(municipal)
    return client


@pytest.fixture
def api(municipal: Any) -> Client:
    return Client(
        headers={"authorization": f"Bearer {ApiToken.objects.issue(municipal)}"},
        raise_request_exception=False,
    )


def assert_handled(response: Any, url: str, params: dict[str, str]) -> None:
    assert response.status_code < 500, (url, params, response.status_code)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_list_page_and_its_api_refuse_bad_parameters_without_a_server_error(
    name: str, client: Client, api: Client
) -> None:
    resource = REGISTRY[name]
    page = list_url(resource)
    filters = list(resource.filterset.base_filters)
    for parameter in filters:
        for value in NASTY:
            assert_handled(client.get(page, {parameter: value}), page, {parameter: value})
            url = f"/api/v1/{name}/"
            assert_handled(api.get(url, {parameter: value}), url, {parameter: value})
    for parameter, values in PAGING.items():
        for value in values:
            assert_handled(client.get(page, {parameter: value}), page, {parameter: value})
    for parameter in ("limit", "offset"):
        for value in NASTY:
            assert_handled(api.get(f"/api/v1/{name}/", {parameter: value}), name, {parameter: value})
    for suffix in ("", "history/", "edit/", "delete/"):
        assert client.get(f"{page}{HUGE_ID}/{suffix}").status_code == 404
    assert api.get(f"/api/v1/{name}/{HUGE_ID}/").status_code in (404, 422)


def test_a_page_size_out_of_range_is_refused_with_a_message(client: Client) -> None:
    for value in ("-1", "0", "abc"):
        response = client.get("/registry/schools/", {"per_page": value})
        assert response.status_code == 400
        assert "每页" in response.content.decode()
    assert client.get("/registry/schools/", {"per_page": "100"}).status_code == 200


def test_a_filter_id_beyond_any_record_answers_400_not_500(client: Client, api: Client) -> None:
    page = client.get("/programmes/interactions/", {"pairing": HUGE_ID})
    assert page.status_code == 400
    answer = api.get("/api/v1/interactions/", {"pairing": HUGE_ID})
    assert answer.status_code == 422


def test_report_years_outside_the_calendar_are_refused(make_user: Any) -> None:
    cluster = Cluster.objects.filter(is_demo=True).first()
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.DISTRICT_BUREAU, cluster.district))
    for year in ("0", "10000", "abc", "-5", HUGE_ID):
        response = client.get(f"/evaluation/clusters/{cluster.pk}/report.xlsx", {"year": year})
        assert response.status_code == 400, year
        assert "年份" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/evaluation/clusters/",
        "/evaluation/resources/",
        "/evaluation/uploads/",
        "/policy/runs/",
        "/",
    ],
)
def test_pages_that_read_their_own_parameters_survive_bad_ones(url: str, client: Client) -> None:
    for parameter in ("year", "stage", "subject", "cluster", "school_year", "district", "kind", "page"):
        for value in NASTY:
            assert_handled(client.get(url, {parameter: value}), url, {parameter: value})


def test_the_board_of_a_run_survives_bad_filters(client: Client, municipal: Any) -> None:
    from datetime import date

    from junheng.policy.engine import compliance_run
    from junheng.policy.models import PolicyEdition

    run, _ = compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 7, 15))
    for parameter in ("district", "kind"):
        for value in NASTY:
            assert_handled(
                client.get(f"/policy/runs/{run.pk}/", {parameter: value}), "board", {parameter: value}
            )
    assert client.get(f"/policy/runs/{HUGE_ID}/").status_code == 404
    assert client.get(f"/policy/findings/{HUGE_ID}/").status_code == 404
