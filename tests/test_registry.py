"""Registry models (R-A1–R-A4): reference districts and their other names, dated cluster membership, the
constraints the database enforces, and a scope on every domain model."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from junheng.core.scope import RestrictedQuerySet
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.organisations.reference import DistrictResolver

pytestmark = pytest.mark.django_db


def test_sixteen_districts_with_their_codes() -> None:
    codes = list(District.objects.values_list("code", flat=True))
    assert len(codes) == 16
    assert codes[0] == "310101" and codes[-1] == "310151"
    assert District.objects.get(code="310115").name == "浦东新区"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("浦东区", "310115"),
        ("浦东\n新区", "310115"),
        ("浦东", "310115"),
        ("卢湾", "310101"),
        ("闸北区", "310106"),
        ("南汇", "310115"),
        ("崇明县", "310151"),
        (" 宝山区 ", "310113"),
        ("310104", "310104"),
    ],
)
def test_a_district_is_found_by_any_name_it_is_written_as(written: str, code: str) -> None:
    assert DistrictResolver().resolve(written).code == code


def test_unknown_district_names_resolve_to_nothing() -> None:
    assert DistrictResolver().resolve("浦西区") is None


def test_members_on_a_date_follow_the_dated_memberships() -> None:
    cluster = Cluster.objects.filter(is_demo=True).first()
    members = set(cluster.members_on(date(2024, 1, 1)))
    leaving = cluster.memberships.exclude(school=cluster.lead_school).first()
    leaving.end_date = date(2024, 6, 30)
    leaving.save()
    newcomer = School.objects.create(name="新成员校", district=cluster.district)
    ClusterMembership.objects.create(
        cluster=cluster, school=newcomer, tier="weaker", start_date=date(2024, 9, 1)
    )
    assert set(cluster.members_on(date(2024, 1, 1))) == members
    assert set(cluster.members_on(date(2024, 9, 1))) == members - {leaving.school} | {newcomer}
    assert set(cluster.members_on(date(2023, 8, 31))) == set()


def test_the_database_refuses_what_the_rules_forbid() -> None:
    school = School.objects.filter(is_demo=True).first()
    cluster = Cluster.objects.filter(is_demo=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(name=school.name, district=school.district)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMembership.objects.create(
            cluster=cluster,
            school=school,
            tier="weaker",
            start_date=date(2024, 9, 1),
            end_date=date(2024, 8, 31),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(code="110101", name="东城区", short_name="东城")


def restricted_models() -> list[Any]:
    return [m for m in apps.get_models() if isinstance(m._default_manager.all(), RestrictedQuerySet)]


def test_every_domain_model_has_a_scope(make_user: Any) -> None:
    """On every model that holds rows in the test database: no role sees none of them, the municipal reader all of
    them and may change none. (Which roles see which rows is the permission matrix's.)"""
    municipal = make_user(Role.MUNICIPAL)
    nobody = make_user()
    populated = [m for m in restricted_models() if m._default_manager.exists()]
    assert {
        "District",
        "School",
        "SchoolYearCount",
        "Institution",
        "Cluster",
        "Teacher",
        "ProgrammeRound",
        "Pairing",
        "PolicyEdition",
        "Threshold",
    } <= {m.__name__ for m in populated}
    for model in populated:
        manager = model._default_manager
        assert manager.restrict(AnonymousUser()).count() == 0, model
        assert manager.restrict(nobody).count() == 0, model
        assert manager.restrict(municipal).count() == manager.count(), model
        assert manager.restrict(municipal, "change").count() == 0, model  # a read-only membership
