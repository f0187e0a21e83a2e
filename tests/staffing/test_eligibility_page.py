"""The rotation-eligibility page of a school and school year (R-C1): only for those who see the school, the eligible
and the excluded teachers, and an exclusion made or lifted on the page, audited with who made it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District, School
from junheng.staffing.models import EligibilityExclusion, Teacher
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def school(municipal: Any) -> School:
    at = School.objects.create(name="页面资格校", district=District.objects.get(code="310113"))
    for number, since in (("P1", date(2018, 9, 1)), ("P2", date(2018, 9, 2)), ("P3", date(2012, 9, 1))):
        employ(
            actor=municipal,
            teacher=Teacher(name=f"页面教师{number}", staff_number=number),
            school=at,
            since=since,
        )
    EligibilityExclusion.objects.create(
        teacher=Teacher.objects.get(staff_number="P3"), school_year=2024, reason="病假一年"
    )
    return at


def url(school: School, year: int = 2024) -> str:
    return f"/staffing/eligibility/{school.pk}/?year={year}"


def section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</table>")[0]


def test_the_school_sees_its_eligible_and_excluded_teachers(school: School, make_user: Any) -> None:
    page = client_of(make_user(Role.SCHOOL, school)).get(url(school)).content.decode()
    assert "页面教师P1" in section(page, "eligible") and "页面教师P2" not in page  # a day short of six years
    excluded = section(page, "excluded")
    assert "页面教师P3" in excluded and "病假一年" in excluded
    assert "2024-09-01" in page and "6" in page
    assert 'id="exclude-form"' not in page  # a read-only account changes nothing
    assert "页面教师P2" in section(
        client_of(make_user(Role.SCHOOL, school)).get(url(school, 2025)).content.decode(), "eligible"
    )


def test_another_school_gets_404(school: School, make_user: Any) -> None:
    other = School.objects.create(name="页面他校", district=school.district)
    client = client_of(make_user(Role.SCHOOL, other, can_edit=True))
    assert client.get(url(school)).status_code == 404
    teacher = Teacher.objects.get(staff_number="P1")
    response = client.post(url(school), {"action": "exclude", "teacher": teacher.pk, "reason": "越权"})
    assert response.status_code == 404
    assert not EligibilityExclusion.objects.filter(teacher=teacher).exists()


def test_an_exclusion_made_on_the_page_changes_the_list_and_is_in_the_history(
    school: School, make_user: Any
) -> None:
    editor = make_user(Role.SCHOOL, school, can_edit=True)
    client = client_of(editor)
    teacher = Teacher.objects.get(staff_number="P1")
    assert 'id="exclude-form"' in client.get(url(school)).content.decode()
    response = client.post(url(school), {"action": "exclude", "teacher": teacher.pk, "reason": "支教一年"})
    assert response.status_code == 302 and response["Location"] == url(school)
    page = client.get(url(school)).content.decode()
    assert "页面教师P1" not in section(page, "eligible")
    assert "页面教师P1" in section(page, "excluded") and "支教一年" in section(page, "excluded")
    exclusion = EligibilityExclusion.objects.get(teacher=teacher, school_year=2024)
    created = exclusion.history.get(history_type="+")
    assert created.history_user == editor and created.reason == "支教一年"

    response = client.post(url(school), {"action": "lift", "exclusion": exclusion.pk})
    assert response.status_code == 302
    assert "页面教师P1" in section(client.get(url(school)).content.decode(), "eligible")
    lifted = EligibilityExclusion.history.get(id=exclusion.pk, history_type="-")
    assert lifted.history_user == editor


def test_an_exclusion_needs_a_reason_and_saves_nothing_without(school: School, make_user: Any) -> None:
    client = client_of(make_user(Role.SCHOOL, school, can_edit=True))
    teacher = Teacher.objects.get(staff_number="P1")
    response = client.post(url(school), {"action": "exclude", "teacher": teacher.pk, "reason": "  "})
    assert response.status_code == 200 and "请填写不符合轮岗条件的原因" in response.content.decode()
    assert not EligibilityExclusion.objects.filter(teacher=teacher).exists()
    not_eligible = Teacher.objects.get(staff_number="P2")
    response = client.post(url(school), {"action": "exclude", "teacher": not_eligible.pk, "reason": "x"})
    assert "该教师不在本校本学年符合条件、且你可修改的教师之中" in response.content.decode()
    assert not EligibilityExclusion.objects.filter(teacher=not_eligible).exists()


def test_a_read_only_account_may_not_exclude_or_lift(school: School, make_user: Any) -> None:
    client = client_of(make_user(Role.SCHOOL, school))
    teacher = Teacher.objects.get(staff_number="P1")
    response = client.post(url(school), {"action": "exclude", "teacher": teacher.pk, "reason": "无权"})
    assert response.status_code == 403
    exclusion = EligibilityExclusion.objects.get(teacher__staff_number="P3")
    assert client.post(url(school), {"action": "lift", "exclusion": exclusion.pk}).status_code == 403
    assert EligibilityExclusion.objects.filter(pk=exclusion.pk).exists()
    assert not EligibilityExclusion.objects.filter(teacher=teacher).exists()


def test_the_menu_page_is_the_schools_own_and_a_bureau_finds_its_schools(
    school: School, make_user: Any
) -> None:
    own = client_of(make_user(Role.SCHOOL, school)).get("/staffing/eligibility/?year=2024").content.decode()
    assert "页面教师P1" in section(own, "eligible")
    bureau = client_of(make_user(Role.DISTRICT_BUREAU, school.district))
    listed = bureau.get("/staffing/eligibility/", {"q": "页面资格", "year": 2024}).content.decode()
    assert url(school) in listed.replace("&amp;", "&")
    assert (
        "页面资格校"
        not in client_of(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310114")))
        .get("/staffing/eligibility/", {"q": "页面资格"})
        .content.decode()
        .split('id="schools"')[1]
    )


def test_the_schools_page_links_its_eligibility(school: School, municipal: Any) -> None:
    page = client_of(municipal).get(school.get_absolute_url()).content.decode()
    assert "交流轮岗资格" in page and f"/staffing/eligibility/{school.pk}/?year=" in page
