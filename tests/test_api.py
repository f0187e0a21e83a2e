"""The API (/api/v1/): token authentication, the caller's scope, the list page's filters, the OpenAPI schema,
and a schemathesis run that finds no server error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from junheng.core.models import ApiToken
from junheng.organisations.choices import Role
from junheng.organisations.models import District, School
from junheng.wsgi import application

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def test_a_token_is_required_and_a_wrong_one_is_refused() -> None:
    assert Client().get("/api/v1/schools/").status_code == 401
    assert Client(headers={"authorization": "Bearer wrong"}).get("/api/v1/schools/").status_code == 401


def test_create_token_prints_a_working_token(municipal: Any, capsys: Any) -> None:
    call_command("create_token", municipal.username)
    token = capsys.readouterr().out.strip()
    response = Client(headers={"authorization": f"Bearer {token}"}).get("/api/v1/districts/")
    assert response.status_code == 200
    assert response.json()["count"] == 16
    assert ApiToken.objects.get(user=municipal).key_hash != token  # only a hash is kept


def test_pairings_answer_in_the_documented_shape(municipal: Any) -> None:
    items = (
        bearer(municipal).get("/api/v1/pairings/", {"kind": "mutual_growth", "limit": 100}).json()["items"]
    )
    assert len(items) == 28
    first = next(i for i in items if i["sequence"] == 1)
    assert first["kind"] == "mutual_growth"
    assert first["supported_school"] == {"name": "彭镇中学", "district_code": "310115"}
    assert first["supporting_unit"]["name"] == "文来实验学校"
    assert first["project_title"] == "师资队伍培养"
    entrusted = (
        bearer(municipal).get("/api/v1/pairings/", {"kind": "entrusted", "limit": 1}).json()["items"][0]
    )
    assert entrusted["project_title"] is None
    assert entrusted["supporting_unit"] == {"name": "杨浦小学", "district_code": "310110", "type": "school"}


def test_filters_are_those_of_the_list_page(make_user: Any) -> None:
    user = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"))
    api = bearer(user)
    body = api.get("/api/v1/schools/", {"district": "310113", "limit": 1000}).json()
    assert body["count"] == School.objects.filter(district__code="310113").count()
    # Another district's filter value is not a valid choice for this user: a clear 422, not an empty 200.
    refused = api.get("/api/v1/schools/", {"district": "310101"})
    assert refused.status_code == 422
    assert (
        api.get(f"/api/v1/schools/{School.objects.exclude(district__code='310113').first().pk}/").status_code
        == 404
    )


def test_openapi_schema_lists_every_resource() -> None:
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    for name in ("districts", "schools", "institutions", "clusters", "pairings"):
        assert f"/api/v1/{name}/" in schema["paths"]
        assert f"/api/v1/{name}/{{item_id}}/" in schema["paths"]
    assert {p["name"] for p in schema["paths"]["/api/v1/pairings/"]["get"]["parameters"]} >= {
        "kind",
        "supported_district",
        "supporting_district",
        "q",
        "limit",
        "offset",
    }


api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(municipal: Any) -> Iterator[str]:
    """A token, with the WSGI app kept from closing the test's database connection between requests, as
    Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield ApiToken.objects.issue(municipal)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@api_schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_fuzzing_finds_no_server_error(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])


def test_records_are_written_through_the_api_within_scope(make_user: Any) -> None:
    from junheng.programmes.models import Interaction, Pairing

    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    api = bearer(qingpu)
    mine = Pairing.objects.get(kind="mutual_growth", sequence=20)  # 沈巷中学, 青浦区
    theirs = Pairing.objects.get(kind="entrusted", sequence=1)  # 宝山区
    created = api.post(
        "/api/v1/interactions/",
        {"pairing": mine.pk, "date": "2021-01-15", "kind": "on_site", "participants": 5, "subjects": "语文"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    record = Interaction.objects.get(pk=created.json()["id"])
    assert record.history.get().history_user == qingpu
    refused = api.post(
        "/api/v1/interactions/",
        {"pairing": theirs.pk, "date": "2021-01-15", "kind": "on_site"},
        content_type="application/json",
    )
    assert refused.status_code in (403, 422) and Interaction.objects.count() == 1
    invalid = api.post(
        "/api/v1/interactions/",
        {"pairing": mine.pk, "date": "2021-01-15", "kind": "by_pigeon"},
        content_type="application/json",
    )
    assert invalid.status_code == 422
    changed = api.patch(
        f"/api/v1/interactions/{record.pk}/", {"participants": 9}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["participants"] == 9
    assert changed.json()["subjects"] == "语文"  # a patch keeps what it does not name
    assert api.delete(f"/api/v1/interactions/{record.pk}/").status_code == 204
    assert not Interaction.objects.exists()
    reader = bearer(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118")))
    body = {"pairing": mine.pk, "date": "2021-01-15", "kind": "on_site", "participants": 2}
    assert reader.post("/api/v1/interactions/", body, content_type="application/json").status_code == 403
    school = School.objects.filter(district__code="310113").first()
    assert (
        api.patch(
            f"/api/v1/schools/{school.pk}/", {"name": "改名"}, content_type="application/json"
        ).status_code
        == 404
    )  # out of scope is missing
