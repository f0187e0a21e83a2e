"""No dead ends (issue 13.6): a link is offered only where it leads somewhere, and what a user may not do is
neither offered nor silently refused — the refusal says who may."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from junheng.core.api import ApiToken
from junheng.organisations.choices import Role
from junheng.organisations.models import District, School
from junheng.programmes.models import Pairing

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record_links(page: str) -> set[str]:
    """The links of a page's main part to other records' pages (not filters, exports or static files)."""
    main = page.split("<main", 1)[1]
    return set(re.findall(r'href="(/[a-z]+/[a-z-]+/\d+/)"', main))


def supporting_district_user(make_user: Any) -> tuple[Any, District]:
    """A bureau whose units support pairings in other districts: those supported schools are not its own."""
    pairing = next(
        p
        for p in Pairing.objects.with_parties()
        if p.supporting_unit.district_id != p.supported_school.district_id
    )
    district = pairing.supporting_unit.district
    return make_user(Role.DISTRICT_BUREAU, district, can_edit=True), district


def test_every_record_link_of_a_bureaus_pairing_list_opens(make_user: Any) -> None:
    user, district = supporting_district_user(make_user)
    client = client_for(user)
    page = client.get("/programmes/pairings/", {"per_page": 500}).content.decode()
    outside = (
        School.objects.exclude(district=district)
        .filter(pairings_supported__in=Pairing.objects.restrict(user))
        .first()
    )
    assert outside is not None and outside.name in page  # the partner is named …
    links = record_links(page)
    assert links, "the list links its pairings"
    for link in links:  # … and nothing links to a page that would answer 404
        assert client.get(link).status_code == 200, link


def test_a_pairing_page_names_a_partner_outside_scope_without_a_link(make_user: Any) -> None:
    user, district = supporting_district_user(make_user)
    client = client_for(user)
    pairing = next(
        p
        for p in Pairing.objects.with_parties()
        if p.supporting_unit.district_id == district.pk and p.supported_school.district_id != district.pk
    )
    page = client.get(pairing.get_absolute_url()).content.decode()
    assert pairing.supported_school.name in page
    assert f'href="{pairing.supported_school.get_absolute_url()}"' not in page
    for link in record_links(page):
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    ("role", "organisation", "resource", "who"),
    [
        (Role.DISTRICT_BUREAU, lambda: District.objects.get(code="310113"), "editions", "只有市教委"),
        (Role.DISTRICT_BUREAU, lambda: District.objects.get(code="310113"), "districts", "只有市教委"),
        (Role.SCHOOL, lambda: School.objects.get(name="月浦中心校"), "schools", "区教育局"),
    ],
)
def test_what_a_role_may_never_add_is_not_offered_and_its_refusal_says_who_may(
    make_user: Any, role: str, organisation: Any, resource: str, who: str
) -> None:
    user = make_user(role, organisation(), can_edit=True)
    client = client_for(user)
    listing = client.get(f"/{_prefix(resource)}/{resource}/").content.decode()
    assert f'href="/{_prefix(resource)}/{resource}/add/"' not in listing
    refused = client.get(f"/{_prefix(resource)}/{resource}/add/")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert who in text and "约束" not in text
    api = Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})
    created = api.post(f"/api/v1/{resource}/", {}, content_type="application/json")
    assert created.status_code in (403, 422)


def test_a_school_is_offered_the_records_of_its_pairing_but_not_the_registry(make_user: Any) -> None:
    user = make_user(Role.SCHOOL, School.objects.get(name="月浦中心校"), can_edit=True)
    client = client_for(user)
    interactions = client.get("/programmes/interactions/").content.decode()
    assert 'href="/programmes/interactions/add/"' in interactions
    assert "/programmes/import/interactions/" in interactions
    assert client.get("/programmes/import/interactions/").status_code == 200
    clusters = client_for(make_user(Role.CLUSTER_OFFICE, _a_cluster(), can_edit=True))
    assert clusters.get("/programmes/import/interactions/").status_code == 403
    assert "/programmes/import/interactions/" not in clusters.get("/").content.decode()


def _prefix(resource: str) -> str:
    return {"editions": "policy", "districts": "registry", "schools": "registry"}[resource]


def _a_cluster() -> Any:
    from junheng.organisations.models import Cluster

    cluster = Cluster.objects.first()
    assert cluster is not None
    return cluster
