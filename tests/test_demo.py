"""The demo city is deterministic, marked 演示数据, covers all 16 districts; `setup` keeps data on every run."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from junheng.demo.city import demo_build, demo_remove
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.policy.models import ComplianceRun, Finding
from junheng.programmes.models import Pairing
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        School.objects.filter(is_demo=True).values_list("code", "name", "stage", "latitude", "longitude")
    ) + sorted(ClusterMembership.objects.values_list("cluster__name", "school__code", "tier"))


def test_same_size_same_city() -> None:
    first = snapshot()
    teachers = sorted(Teacher.objects.values_list("staff_number", "name", "subject", "employed_since"))
    demo_remove()
    assert not School.objects.filter(is_demo=True).exists()
    demo_build("small")
    assert snapshot() == first
    assert (
        sorted(Teacher.objects.values_list("staff_number", "name", "subject", "employed_since")) == teachers
    )


def test_every_district_has_demo_schools_and_clusters_mix_quality_and_weaker_schools() -> None:
    per_district = School.objects.filter(is_demo=True).values("district").annotate(n=Count("pk"))
    assert len(per_district) == 16
    for cluster in Cluster.objects.filter(is_demo=True):
        tiers = set(cluster.memberships.values_list("tier", flat=True))
        assert tiers == {"quality", "weaker"}
        assert cluster.memberships.filter(school=cluster.lead_school, tier="quality").exists()
    assert not Teacher.objects.filter(is_demo=False).exists()


def test_demo_data_is_marked_on_the_pages(municipal: Any) -> None:
    client = Client()
    client.force_login(municipal)
    school = School.objects.filter(is_demo=True).first()
    badge = '<span class="badge bg-warning text-dark">演示数据</span>'
    assert badge in client.get(f"/registry/schools/{school.pk}/").content.decode()
    real = School.objects.get(name="月浦中心校")
    assert badge not in client.get(f"/registry/schools/{real.pk}/").content.decode()
    assert (
        "演示数据"
        in client.get("/registry/schools/", {"is_demo": "true"}).content.decode().split("<tbody")[1]
    )


def test_setup_twice_keeps_all_data_and_makes_the_demo_accounts(monkeypatch: Any) -> None:
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "demo-password-1")
    School.objects.filter(name="月浦中心校").update(school_type_code="218")  # a user's edit
    call_command("setup", skip_static=True, stdout=StringIO())
    counts = (School.objects.count(), Pairing.objects.count(), Teacher.objects.count())
    out = StringIO()
    call_command("setup", skip_static=True, stdout=out)
    assert (School.objects.count(), Pairing.objects.count(), Teacher.objects.count()) == counts
    assert School.objects.get(name="月浦中心校").school_type_code == "218"
    # the board is never empty: each edition was checked for the city today, once however often setup runs
    runs = ComplianceRun.objects.filter(district__isnull=True, as_of=date.today())
    assert sorted(runs.values_list("edition__code", flat=True)) == ["S1", "S2"]
    assert Finding.objects.filter(run__in=runs).exists()
    users = get_user_model().objects
    expected = {
        "municipal",
        "district-310101",
        "district-310151",
        "district-310101-readonly",
        "cluster-office",
        "school",
        "supporting-unit",
        "expert",
        "teacher",
    }
    assert expected <= set(users.values_list("username", flat=True))
    assert users.get(username="district-310113").check_password("demo-password-1")
    assert "初始密码" not in out.getvalue()
    client = Client()
    assert client.login(username="teacher", password="demo-password-1")
    assert Teacher.objects.get(user__username="teacher").is_demo
