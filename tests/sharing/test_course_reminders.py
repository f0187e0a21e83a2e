"""Reminders of shared courses (R-F4): a round's applications closing within the week, on the home page of the
cluster office and of its member schools and in the daily digest; R-D1 at risk from the semester's middle (a
member school offering no course, a cluster short of five) and failing at its end."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.policy.reminders import reminders_for
from junheng.sharing.course_reminders import CLOSING_WITHIN, rounds_closing
from junheng.sharing.course_services import round_close
from junheng.sharing.models import EnrolmentRound

from .test_course_rules import DISTRICT, Courses

pytestmark = pytest.mark.django_db


def home_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def a_round(courses: Courses, closes_on: date, title: str = "课后服务选课") -> EnrolmentRound:
    return EnrolmentRound.objects.create(
        cluster=courses.cluster,
        school_year=2025,
        semester=1,
        title=title,
        opens_on=closes_on - timedelta(days=14),
        closes_on=closes_on,
    )


def test_rounds_closing_within_the_week_are_reminded_to_the_office_and_the_member_schools(
    make_user: Any,
) -> None:
    courses, other = Courses(), Courses("别的")
    today = timezone.localdate()
    soon = a_round(courses, today + timedelta(days=CLOSING_WITHIN))
    a_round(courses, today + timedelta(days=CLOSING_WITHIN + 1), "下周以后截止")
    closed = a_round(courses, today + timedelta(days=2), "已截止")
    round_close(actor=None, round_=closed)
    office = make_user(Role.CLUSTER_OFFICE, courses.cluster)
    member = make_user(Role.SCHOOL, courses.member)
    for user in (office, member):
        assert rounds_closing(user, today) == [soon]
        card = home_of(user).split('id="rounds-closing"')[1].split("</ul>")[0]
        assert "7 天内截止报名的课程" in home_of(user)
        assert f'href="{soon.get_absolute_url()}"' in card and "下周以后截止" not in card
        assert "已截止" not in card
    for outsider in (
        make_user(Role.SCHOOL, other.member),
        make_user(Role.CLUSTER_OFFICE, other.cluster),
        make_user(Role.DISTRICT_BUREAU, courses.cluster.district),  # runs no round
    ):
        assert rounds_closing(outsider, today) == []
        assert 'id="rounds-closing"' not in home_of(outsider)
    out = StringIO()
    call_command("reminders", "--as-of", today.isoformat(), "--user", member.username, stdout=out)
    expected = f"[即将截止] 课程报名 · {soon}（{soon.closes_on.isoformat()} 截止）"
    assert expected in out.getvalue()


def check(as_of: date) -> None:
    compliance_run(
        actor=None,
        edition=PolicyEdition.objects.get(code="S2"),
        as_of=as_of,
        district=District.objects.get(code=DISTRICT),
    )


def tasks_of(user: Any) -> set[tuple[str, str]]:
    return {(item.finding.rule, item.finding.subject_name) for item in reminders_for(user)}


@pytest.mark.parametrize(
    ("as_of", "reminded"),
    [
        (date(2024, 11, 15), False),  # the first half of the semester: still young
        (date(2024, 11, 16), True),  # its middle
        (date(2025, 5, 16), False),
        (date(2025, 5, 17), True),
    ],
)
def test_r_d1_at_risk_is_reminded_from_the_middle_of_the_semester(
    make_user: Any, as_of: date, reminded: bool
) -> None:
    courses = Courses()
    year, semester = (2024, 1) if as_of.month > 8 else (2024, 2)
    courses.offer(courses.lead, 2, year, semester)  # the member offers none; the cluster 2 of 5
    check(as_of)
    school = make_user(Role.SCHOOL, courses.member)
    office = make_user(Role.CLUSTER_OFFICE, courses.cluster)
    shown = ("R-D1.a", courses.member.name) in tasks_of(school)
    assert shown is reminded
    assert (("R-D1.b", courses.cluster.name) in tasks_of(office)) is reminded
    assert ("R-D1.a", courses.lead.name) not in tasks_of(office)  # the lead offers its course


def test_r_d1_failing_at_the_semester_end_is_overdue_on_the_home_page(make_user: Any) -> None:
    courses = Courses()
    courses.offer(courses.lead, 4)
    check(date(2025, 1, 31))
    page = home_of(make_user(Role.SCHOOL, courses.member))
    reminders = page.split('id="reminders"')[1].split("</ul>")[0]
    assert "已逾期" in reminders and "本学期每所成员校至少一门共享课程" in reminders
    assert courses.member.name in reminders
    office = home_of(make_user(Role.CLUSTER_OFFICE, courses.cluster)).split('id="reminders"')[1]
    assert "本学期集团可共享课程达到要求数量" in office.split("</ul>")[0]
