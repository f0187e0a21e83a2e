"""The map (R-F5): its data is what the user's scope sees, its page and a cluster's page draw it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from junheng.organisations.choices import Role
from junheng.organisations.map import map_data
from junheng.organisations.models import Cluster, ClusterMembership, District, School, in_force_on

pytestmark = pytest.mark.django_db


def located_cluster() -> Cluster:
    """A cluster of the demo with members in force that have coordinates."""
    day = timezone.localdate()
    memberships = ClusterMembership.objects.filter(in_force_on(day), school__latitude__isnull=False)
    return Cluster.objects.filter(pk__in=memberships.values("cluster")).order_by("pk").first()


def test_a_bureau_sees_its_districts_schools_on_the_map_and_no_other(make_user: Any) -> None:
    cluster = located_cluster()
    school = School.objects.filter(district=cluster.district, latitude__isnull=False).first()
    other = School.objects.exclude(district=cluster.district).filter(latitude__isnull=False).first()
    bureau = make_user(Role.DISTRICT_BUREAU, cluster.district)
    other_bureau = make_user(Role.DISTRICT_BUREAU, other.district)

    seen = {s["id"] for s in map_data(bureau)["schools"]}
    assert school.pk in seen and other.pk not in seen
    assert school.pk not in {s["id"] for s in map_data(other_bureau)["schools"]}
    assert cluster.pk in {c["id"] for c in map_data(bureau)["clusters"]}
    assert cluster.pk not in {c["id"] for c in map_data(other_bureau)["clusters"]}


def test_a_school_sees_its_point_coloured_by_its_cluster_and_its_tier(make_user: Any) -> None:
    cluster = located_cluster()
    membership = cluster.memberships.filter(school__latitude__isnull=False).first()
    user = make_user(Role.SCHOOL, membership.school)
    data = map_data(user)
    point = next(s for s in data["schools"] if s["id"] == membership.school_id)
    assert cluster.pk in point["clusters"]
    assert point["tier"] in {"quality", "weaker"}
    assert point["url"] == membership.school.get_absolute_url()
    assert cluster.pk in {c["id"] for c in data["clusters"]}


def test_the_commission_sees_all_sixteen_districts_choices(municipal: Any) -> None:
    data = map_data(municipal)
    located = School.objects.filter(latitude__isnull=False, longitude__isnull=False).count()
    assert len(data["schools"]) == located
    codes = {code for code, _name in data["filters"]["district"]}
    assert codes <= set(District.objects.values_list("code", flat=True))


def test_the_map_page_draws_from_the_data_under_the_csp(client: Any, municipal: Any) -> None:
    client.force_login(municipal)
    response = client.get("/registry/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="school-map"' in page and 'id="map-data"' in page
    assert "vendor/shanghai/districts.geojson" in page and "junheng/school-map.js" in page
    assert "<script>" not in page  # data as json_script only, code from static files


def test_a_clusters_page_shows_its_members_on_the_map(client: Any, make_user: Any) -> None:
    cluster = located_cluster()
    client.force_login(make_user(Role.DISTRICT_BUREAU, cluster.district))
    response = client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert 'id="school-map"' in response.content.decode()


def test_the_vendored_geojson_has_the_sixteen_current_districts() -> None:
    import json
    from importlib.resources import files

    text = (files("junheng") / "static" / "vendor" / "shanghai" / "districts.geojson").read_text("utf-8")
    features = json.loads(text)["features"]
    assert sorted(f["id"] for f in features) == sorted(District.objects.values_list("code", flat=True))
    names = {f["properties"]["name"] for f in features}
    assert "卢湾区" not in names and "闸北区" not in names and {"黄浦区", "静安区"} <= names
