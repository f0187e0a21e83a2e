"""The teacher's own record (R-C9, R-C10): employer and history, rotations with duties and appraisals, months of
rotation inside clusters, the certificate as PDF and Word, and the bureaus' list of teachers with two years of
rotation inside a cluster."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from docx import Document

from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.staffing.models import Rotation, RotationAppraisal, Teacher
from junheng.staffing.selectors import full_months
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db


def test_whole_months_count_both_days_served() -> None:
    assert full_months(date(2022, 9, 1), date(2023, 8, 31)) == 12
    assert full_months(date(2022, 9, 1), date(2024, 8, 30)) == 23  # a day short of two years
    assert full_months(date(2022, 9, 1), date(2024, 8, 31)) == 24
    assert full_months(date(2022, 9, 15), date(2022, 10, 13)) == 0
    assert full_months(date(2022, 9, 15), date(2022, 10, 14)) == 1


@pytest.fixture
def career(municipal: Any, make_user: Any) -> dict[str, Any]:
    baoshan = District.objects.get(code="310113")
    quality, weaker, outside = (
        School.objects.create(name=n, district=baoshan) for n in ("档案优质校", "档案薄弱校", "档案区外校")
    )
    cluster = Cluster.objects.create(name="档案学区", kind="zone", district=baoshan, lead_school=quality)
    for school, tier in ((quality, Tier.QUALITY), (weaker, Tier.WEAKER)):
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier=tier, start_date=date(2018, 9, 1)
        )
    teacher = employ(
        actor=municipal,
        teacher=Teacher(name="档案教师", staff_number="REC-1"),
        school=outside,
        since=date(2010, 9, 1),
    )
    employ(actor=municipal, teacher=teacher, school=quality, since=date(2019, 9, 1))
    inside = Rotation.objects.create(
        teacher=teacher,
        kind="exchange",
        from_school=quality,
        host=weaker,
        start_date=date(2022, 9, 1),
        planned_end=date(2025, 8, 31),
        duties=["class_teaching", "research_lead"],
        status="in_progress",
    )
    RotationAppraisal.objects.create(
        rotation=inside, school_year=2022, rating="excellent", appraised_on=date(2023, 7, 1)
    )
    Rotation.objects.create(  # not inside a cluster: does not count for R-C10
        teacher=teacher,
        kind="shadowing",
        from_school=quality,
        host=outside,
        start_date=date(2020, 9, 1),
        planned_end=date(2021, 8, 31),
        status="ended",
        actual_end=date(2021, 8, 31),
    )
    user = make_user(Role.TEACHER, quality)
    Teacher.objects.filter(pk=teacher.pk).update(user=user)
    return {"teacher": teacher, "user": user, "district": baoshan}


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(date(2024, 9, 1))
def test_the_teacher_reads_its_own_record(career: dict[str, Any]) -> None:
    page = client_of(career["user"]).get("/staffing/my-record/").content.decode()
    assert "档案教师" in page and "档案优质校" in page
    history = page.split('id="employments"')[1].split("</table>")[0]
    assert history.index("档案区外校") < history.index("档案优质校") and "2019-08-31" in history
    rotations = page.split('id="rotations"')[1].split("</table>")[0]
    assert "包班上课、教研引领" in rotations and "2022学年优秀" in rotations and "跟岗实践" in rotations
    months = page.split('id="months-inside"')[1].split("</td>")[0]
    assert (
        months.lstrip(">").strip().startswith("24") and "提任学校干部" in months
    )  # 2022-09-01 to 2024-08-31


@time_machine.travel(date(2024, 9, 1))
def test_the_certificate_is_a_chinese_word_document_and_a_pdf(career: dict[str, Any]) -> None:
    client = client_of(career["user"])
    teacher = career["teacher"]
    word = client.get(f"/staffing/teachers/{teacher.pk}/certificate.docx")
    assert word.status_code == 200 and "filename*=UTF-8''" in word["Content-Disposition"]
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "教师交流轮岗服务证明" in text and "兹证明 档案教师（工号 REC-1）" in text
    assert "学区/集团内交流轮岗合计 24 个月" in text
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "档案薄弱校" in cells and "包班上课、教研引领" in cells
    pdf = client.get(f"/staffing/teachers/{teacher.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bureaus_list_the_teachers_with_two_years_inside_a_cluster(
    career: dict[str, Any], make_user: Any
) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, career["district"])
    other = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310105"))
    with time_machine.travel(date(2024, 8, 30)):  # 23 months
        assert "档案教师" not in client_of(bureau).get("/staffing/leadership-factor/").content.decode()
    with time_machine.travel(date(2024, 9, 1)):
        listed = client_of(bureau).get("/staffing/leadership-factor/").content.decode()
        assert "档案教师" in listed.split('id="leadership-factor"')[1]
        assert "档案教师" not in client_of(other).get("/staffing/leadership-factor/").content.decode()
