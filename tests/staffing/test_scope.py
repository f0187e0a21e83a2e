"""Who sees teacher flow's records (issue 14.9): a teacher only its own record; a school its employed teachers and
those it hosts; a cluster office its member schools' teachers; a district bureau its district; the municipal
commission all. Each role is held by one organisation that must see the sample and one that must not, and each
is asked through the list, the detail page, the Excel export and the API."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.staffing.models import (
    EligibilityExclusion,
    Employment,
    Rotation,
    RotationAppraisal,
    StaffingPlan,
    Teacher,
)
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db

RESOURCES = (
    "teachers",
    "employments",
    "eligibility-exclusions",
    "rotations",
    "rotation-appraisals",
    "staffing-plans",
)
EVERYTHING = set(RESOURCES)
ABOUT_THE_TEACHER = EVERYTHING - {"staffing-plans"}  # a cluster's plan is not a teacher's record
# role column -> the sample records it must see
SEES = {
    "municipal": EVERYTHING,
    "bureau": EVERYTHING,
    "other bureau": set(),
    "cluster": EVERYTHING,
    "other cluster": set(),
    "employer": EVERYTHING,
    "host": EVERYTHING,
    "other school": set(),
    "teacher": ABOUT_THE_TEACHER,
    "other teacher": set(),
}


@pytest.fixture
def world(municipal: Any, make_user: Any) -> dict[str, Any]:
    baoshan, changning = District.objects.get(code="310113"), District.objects.get(code="310105")
    employer, host, other = (
        School.objects.create(name=n, district=baoshan) for n in ("流出甲校", "流入乙校", "无关丙校")
    )
    cluster = Cluster.objects.create(name="范围测试学区", kind="zone", district=baoshan, lead_school=employer)
    ClusterMembership.objects.create(
        cluster=cluster, school=employer, tier=Tier.QUALITY, start_date=date(2020, 9, 1)
    )
    ClusterMembership.objects.create(
        cluster=cluster, school=host, tier=Tier.WEAKER, start_date=date(2020, 9, 1)
    )
    other_cluster = Cluster.objects.create(name="范围测试另一学区", kind="zone", district=baoshan)
    ClusterMembership.objects.create(
        cluster=other_cluster, school=other, tier=Tier.WEAKER, start_date=date(2020, 9, 1)
    )
    teacher = employ(
        actor=municipal,
        teacher=Teacher(name="范围样本教师", staff_number="SCOPE-1"),
        school=employer,
        since=date(2012, 9, 1),
    )
    someone = employ(
        actor=municipal,
        teacher=Teacher(name="范围另一教师", staff_number="SCOPE-2"),
        school=other,
        since=date(2012, 9, 1),
    )
    rotation = Rotation.objects.create(
        teacher=teacher,
        kind="exchange",
        from_school=employer,
        host=host,
        start_date=date(2023, 9, 1),
        planned_end=date(2026, 8, 31),
        status="in_progress",
    )
    samples = {
        "teachers": teacher,
        "employments": Employment.objects.get(teacher=teacher),
        "eligibility-exclusions": EligibilityExclusion.objects.create(
            teacher=teacher, school_year=2022, reason="范围测试不参加轮岗"
        ),
        "rotations": rotation,
        "rotation-appraisals": RotationAppraisal.objects.create(
            rotation=rotation,
            school_year=2023,
            rating="good",
            appraised_on=date(2024, 7, 1),
            note="范围测试考核",
        ),
        "staffing-plans": StaffingPlan.objects.create(cluster=cluster, school_year=2024, covers_flow=True),
    }
    holders = {
        "municipal": (Role.MUNICIPAL, None),
        "bureau": (Role.DISTRICT_BUREAU, baoshan),
        "other bureau": (Role.DISTRICT_BUREAU, changning),
        "cluster": (Role.CLUSTER_OFFICE, cluster),
        "other cluster": (Role.CLUSTER_OFFICE, other_cluster),
        "employer": (Role.SCHOOL, employer),
        "host": (Role.SCHOOL, host),
        "other school": (Role.SCHOOL, other),
        "teacher": (Role.TEACHER, employer),
        "other teacher": (Role.TEACHER, other),
    }
    users = {column: make_user(role, where, can_edit=True) for column, (role, where) in holders.items()}
    Teacher.objects.filter(pk=teacher.pk).update(user=users["teacher"])
    Teacher.objects.filter(pk=someone.pk).update(user=users["other teacher"])
    return {"samples": samples, "users": users}


# What shows a sample in its export.
EXPORTED = {
    "teachers": lambda o: o.name,
    "employments": lambda o: str(o),
    "eligibility-exclusions": lambda o: o.reason,
    "rotations": lambda o: str(o),
    "rotation-appraisals": lambda o: o.note,
    "staffing-plans": lambda o: str(o),
}


@pytest.mark.parametrize("column", list(SEES))
@pytest.mark.parametrize("name", RESOURCES)
def test_who_sees_what(world: dict[str, Any], column: str, name: str) -> None:
    user, sample = world["users"][column], world["samples"][name]
    sees = name in SEES[column]
    page = Client()
    page.force_login(user)
    api = Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})
    where = f"{name} as {column}"

    listing = page.get(f"/staffing/{name}/", {"q": "范围"})
    assert listing.status_code == 200, where
    assert (f'href="{sample.get_absolute_url()}"' in listing.content.decode()) == sees, f"{where}: list"
    assert page.get(sample.get_absolute_url()).status_code == (200 if sees else 404), f"{where}: detail"
    export = page.get(f"/staffing/{name}/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = {str(value) for row in sheet.iter_rows(min_row=2, values_only=True) for value in row}
    assert (EXPORTED[name](sample) in cells) == sees, f"{where}: export"
    listed = {
        item["id"] for item in api.get(f"/api/v1/{name}/", {"q": "范围", "limit": 1000}).json()["items"]
    }
    assert (sample.pk in listed) == sees, f"{where}: API list"
    assert api.get(f"/api/v1/{name}/{sample.pk}/").status_code == (200 if sees else 404), (
        f"{where}: API detail"
    )


@pytest.mark.parametrize("column", ["teacher", "other teacher"])
def test_a_teacher_sees_only_its_own_teacher_in_every_list(world: dict[str, Any], column: str) -> None:
    user = world["users"][column]
    api = Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})
    names = {item["name"] for item in api.get("/api/v1/teachers/", {"limit": 1000}).json()["items"]}
    assert names == ({"范围样本教师"} if column == "teacher" else {"范围另一教师"})


@pytest.mark.parametrize(
    ("column", "status"), [("teacher", 200), ("other teacher", 404), ("other school", 404)]
)
def test_the_teachers_record_and_certificate_follow_the_same_scope(
    world: dict[str, Any], column: str, status: int
) -> None:
    teacher = world["samples"]["teachers"]
    page = Client()
    page.force_login(world["users"][column])
    assert page.get(f"/staffing/teachers/{teacher.pk}/record/").status_code == status
    assert page.get(f"/staffing/teachers/{teacher.pk}/certificate.docx").status_code == status
