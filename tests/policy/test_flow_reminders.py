"""Reminders of teacher flow (issue 14.7): rotations ending within 60 days, read from the rotations each role
sees; appraisals due, quotas at risk from 1 March, duties on return and staffing plans, read from the findings —
on each role's home page and in the daily digest."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import Finding, PolicyEdition
from junheng.policy.reminders import ENDING_WITHIN, reminders_for, rotations_ending
from junheng.staffing.models import Rotation, RotationAppraisal

from .test_rules_s2_flow import DISTRICT, Flow

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 3, 10)
IN_PROGRESS_SINCE = date(2024, 9, 1)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_of(user: Any) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def ending_of(user: Any, as_of: date = AS_OF) -> set[int]:
    return {rotation.pk for rotation in rotations_ending(user, as_of)}


def tasks_of(user: Any) -> set[tuple[str, str]]:
    return {(item.finding.rule, item.finding.subject_name) for item in reminders_for(user)}


def check(as_of: date) -> None:
    compliance_run(
        actor=None,
        edition=PolicyEdition.objects.get(code="S2"),
        as_of=as_of,
        district=District.objects.get(code=DISTRICT),
    )


@pytest.fixture
def user(make_user: Any) -> Any:
    """user(role, organisation=None) → an editor of that role in the organisation."""
    return lambda role, organisation=None: make_user(role, organisation, can_edit=True)


@pytest.fixture
def flows() -> tuple[Flow, Flow]:
    """Two model clusters of the same district: 甲 to be reminded of, 乙 beside it."""
    return Flow("提醒甲"), Flow("提醒乙")


# Rotations ending within 60 days -------------------------------------------------------------------------------


def test_a_rotation_ending_on_day_60_is_listed_and_on_day_61_not(flows: tuple[Flow, Flow], user: Any) -> None:
    flow, _ = flows
    teachers = flow.staff(flow.quality, 8)
    day_60 = flow.rotate(teachers[0], flow.weaker, planned_end=AS_OF + timedelta(days=ENDING_WITHIN))
    day_61 = flow.rotate(teachers[1], flow.weaker, planned_end=AS_OF + timedelta(days=ENDING_WITHIN + 1))
    today = flow.rotate(teachers[2], flow.weaker, planned_end=AS_OF)
    flow.rotate(teachers[3], flow.weaker, planned_end=AS_OF - timedelta(days=1))  # ended yesterday
    cut_short = flow.rotate(
        teachers[4], flow.weaker_primary, actual_end=AS_OF + timedelta(days=10), end_reason="调动"
    )  # planned for three years, ends early
    flow.rotate(  # planned to end soon, but it ran on
        teachers[5], flow.weaker_primary, planned_end=AS_OF, actual_end=AS_OF + timedelta(days=90)
    )
    filed = flow.rotate(
        teachers[6],
        flow.weaker,
        start=AS_OF + timedelta(days=5),
        planned_end=AS_OF + timedelta(days=30),
        status="filed",
    )
    flow.rotate(teachers[7], flow.weaker, planned_end=AS_OF + timedelta(days=5), status="proposed")
    bureau = user(Role.DISTRICT_BUREAU, flow.district)
    found = rotations_ending(bureau, AS_OF)
    assert [r.pk for r in found] == [today.pk, cut_short.pk, filed.pk, day_60.pk]  # soonest first
    # a day later, the one ending today is past and the one 61 days away is 60 days away
    assert ending_of(bureau, AS_OF + timedelta(days=1)) == {cut_short.pk, filed.pk, day_60.pk, day_61.pk}


def test_each_role_sees_the_rotations_ending_of_its_own_organisation(
    flows: tuple[Flow, Flow], user: Any
) -> None:
    flow, other = flows
    teacher = flow.staff(flow.quality, 1)[0]
    rotation = flow.rotate(teacher, flow.weaker, planned_end=AS_OF + timedelta(days=20))
    teacher.user = user(Role.TEACHER, flow.quality)
    teacher.save()
    colleague = flow.staff(flow.quality, 1)[0]
    colleague.user = user(Role.TEACHER, flow.quality)
    colleague.save()
    seeing = {
        "sending school": user(Role.SCHOOL, flow.quality),
        "receiving school": user(Role.SCHOOL, flow.weaker),
        "cluster office": user(Role.CLUSTER_OFFICE, flow.cluster),
        "district bureau": user(Role.DISTRICT_BUREAU, flow.district),
        "municipal commission": user(Role.MUNICIPAL),
        "the teacher": teacher.user,
    }
    not_seeing = {
        "another school": user(Role.SCHOOL, other.weaker),
        "another cluster office": user(Role.CLUSTER_OFFICE, other.cluster),
        "another district's bureau": user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")),
        "another teacher": colleague.user,
    }
    assert {name: rotation.pk in ending_of(user) for name, user in seeing.items()} == dict.fromkeys(
        seeing, True
    )
    assert {name: rotation.pk in ending_of(user) for name, user in not_seeing.items()} == dict.fromkeys(
        not_seeing, False
    )


def test_rotations_ending_are_read_in_a_fixed_number_of_queries(flows: tuple[Flow, Flow], user: Any) -> None:
    flow, _ = flows
    bureau = user(Role.DISTRICT_BUREAU, flow.district)
    teachers = flow.staff(flow.quality, 6)
    flow.rotate(teachers[0], flow.weaker, planned_end=AS_OF + timedelta(days=7))
    rotations_ending(bureau, AS_OF)  # the user's scope read once
    with CaptureQueriesContext(connection) as one:
        assert len(rotations_ending(bureau, AS_OF)) == 1
    for n, teacher in enumerate(teachers[1:], start=1):
        flow.rotate(teacher, flow.weaker_primary, planned_end=AS_OF + timedelta(days=7 + n))
    with CaptureQueriesContext(connection) as six:
        found = rotations_ending(bureau, AS_OF)
        assert [str(r.teacher) for r in found] and [str(r.host) for r in found]  # no query per rotation
    assert len(found) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
    assert len(rotations_ending(bureau, AS_OF, limit=4)) == 4


# Findings of teacher flow: appraisals, quotas from 1 March, duties on return, staffing plans ------------------


def flow_findings(flow: Flow) -> dict[str, Rotation]:
    """A quality school short of its quota with one teacher sent this year, not a backbone teacher (R-C2.a, R-C2.b at
    risk); an inflow teacher of last year not appraised (R-C6 fails); a weaker school's teacher back from a
    secondment rated excellent and without a duty (R-C7 at risk); no staffing plan (R-C8 at risk)."""
    teachers = flow.staff(flow.quality, 10)
    last_year = flow.rotate(teachers[0], flow.weaker, start=date(2023, 9, 1), planned_end=date(2026, 8, 31))
    flow.rotate(teachers[1], flow.weaker_primary, start=IN_PROGRESS_SINCE)
    back = flow.rotate(
        flow.staff(flow.weaker, 1)[0],
        flow.quality,
        kind="secondment",
        start=IN_PROGRESS_SINCE,
        planned_end=date(2025, 1, 20),
        status="ended",
    )
    RotationAppraisal.objects.create(
        rotation=back, school_year=2024, rating="excellent", appraised_on=date(2025, 1, 15)
    )
    return {"last_year": last_year, "back": back}


def test_quotas_at_risk_are_reminded_of_from_1_march(flows: tuple[Flow, Flow], user: Any) -> None:
    flow, _ = flows
    flow_findings(flow)
    school = user(Role.SCHOOL, flow.quality)
    office = user(Role.CLUSTER_OFFICE, flow.cluster)
    check(date(2025, 2, 28))
    assert (
        Finding.objects.filter(
            rule__in=("R-C2.a", "R-C2.b"), subject_id=flow.quality.pk, status="at_risk"
        ).count()
        == 2
    )
    assert not {rule for rule, _ in tasks_of(school)} & {"R-C2.a", "R-C2.b"}  # the year is young
    assert ("R-C8", flow.cluster.name) in tasks_of(office)  # other at-risk items are not held back
    home = home_of(school).split('id="compliance"')[1]
    assert "提醒甲优质校" in home.split('id="problems"')[1]  # still on the compliance card
    check(date(2025, 3, 1))
    assert {("R-C2.a", flow.quality.name), ("R-C2.b", flow.quality.name)} <= tasks_of(school)
    assert {("R-C2.a", flow.quality.name), ("R-C2.b", flow.quality.name)} <= tasks_of(office)


def test_each_role_is_reminded_of_its_own_appraisals_duties_and_plans(
    flows: tuple[Flow, Flow], user: Any
) -> None:
    flow, other = flows
    flow_findings(flow)
    flow_findings(other)
    check(AS_OF)
    own = {
        ("R-C2.a", flow.quality.name),
        ("R-C6", flow.weaker.name),
        ("R-C7", flow.weaker.name),
        ("R-C8", flow.cluster.name),
    }
    others = {
        ("R-C2.a", other.quality.name),
        ("R-C6", other.weaker.name),
        ("R-C7", other.weaker.name),
        ("R-C8", other.cluster.name),
    }
    receiving = tasks_of(user(Role.SCHOOL, flow.weaker))
    assert {("R-C6", flow.weaker.name), ("R-C7", flow.weaker.name)} <= receiving
    assert not receiving & others and ("R-C2.a", flow.quality.name) not in receiving
    office = tasks_of(user(Role.CLUSTER_OFFICE, flow.cluster))
    assert own <= office and not office & others
    assert own | others <= tasks_of(user(Role.DISTRICT_BUREAU, flow.district))
    assert not tasks_of(user(Role.CLUSTER_OFFICE, other.cluster)) & own
    assert not {
        rule for rule, _ in tasks_of(user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    } & {
        "R-C2.a",
        "R-C6",
        "R-C7",
        "R-C8",
    }
    assert own | others <= tasks_of(user(Role.MUNICIPAL))


# On the home page and in the digest -------------------------------------------------------------------------


def test_the_home_page_lists_rotations_ending_and_flow_reminders_with_links(
    flows: tuple[Flow, Flow], user: Any
) -> None:
    flow, other = flows
    flow_findings(flow)
    check(AS_OF)
    today = timezone.localdate()
    teacher = flow.staff(flow.quality, 1)[0]
    ending = flow.rotate(
        teacher, flow.weaker, start=today - timedelta(days=300), planned_end=today + timedelta(days=30)
    )
    teacher.user = user(Role.TEACHER, flow.quality)
    teacher.save()
    appraisal = Finding.objects.get(rule="R-C6", subject_id=flow.weaker.pk)
    page = home_of(user(Role.SCHOOL, flow.weaker))
    card = page.split('id="rotations-ending"')[1].split("</ul>")[0]
    assert "60 天内结束的轮岗" in page.split('id="rotations-ending"')[1].split("</div>")[0]
    assert f'href="{ending.get_absolute_url()}"' in card and teacher.name in card
    assert "提醒甲优质校 → 提醒甲薄弱初中" in card and (today + timedelta(days=30)).isoformat() in card
    reminders = page.split('id="reminders"')[1].split("</ul>")[0]
    assert "流入校对流动教师的绩效考核" in reminders and "派出教师回校后承担职责" in reminders
    assert f'href="/policy/findings/{appraisal.pk}/"' in reminders
    for reader in (user(Role.CLUSTER_OFFICE, flow.cluster), user(Role.DISTRICT_BUREAU, flow.district)):
        page = home_of(reader)
        assert ending.get_absolute_url() in page.split('id="rotations-ending"')[1].split("</ul>")[0]
        assert "师资统筹方案报区备案" in page.split('id="reminders"')[1].split("</ul>")[0]
    assert ending.get_absolute_url() in home_of(teacher.user).split('id="rotations-ending"')[1]
    for outsider in (
        user(Role.SCHOOL, other.weaker),
        user(Role.CLUSTER_OFFICE, other.cluster),
        user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")),
    ):
        page = home_of(outsider)
        assert 'id="rotations-ending"' not in page and teacher.name not in page
        assert flow.weaker.name not in page.split('id="reminders"')[1].split("</ul>")[0]


def test_the_digest_lists_rotations_ending_and_flow_reminders(flows: tuple[Flow, Flow], user: Any) -> None:
    flow, other = flows
    flow_findings(flow)
    teacher = flow.staff(flow.quality, 1)[0]
    flow.rotate(teacher, flow.weaker, planned_end=date(2025, 5, 9))
    office = user(Role.CLUSTER_OFFICE, flow.cluster)
    out = StringIO()
    call_command("reminders", "--as-of", AS_OF.isoformat(), "--user", office.username, stdout=out)
    text = out.getvalue()
    assert f"== {office.username}" in text
    assert (
        f"[即将结束] 轮岗 · {teacher.name}（{teacher.staff_number}） · 提醒甲优质校 → 提醒甲薄弱初中（2025-05-09 结束）"
        in text
    )
    assert "[已逾期] 流入校对流动教师的绩效考核 · 提醒甲薄弱初中（截至 2025-03-10）" in text
    assert "[即将到期] 派出教师回校后承担职责 · 提醒甲薄弱初中" in text
    assert "[即将到期] 本学年向相对薄弱校流动教师 · 提醒甲优质校" in text
    assert "[即将到期] 师资统筹方案报区备案 · 提醒甲集团" in text
    assert other.cluster.name not in text
    out = StringIO()
    call_command(
        "reminders",
        "--as-of",
        AS_OF.isoformat(),
        "--user",
        user(Role.CLUSTER_OFFICE, other.cluster).username,
        stdout=out,
    )
    assert teacher.name not in out.getvalue() and "提醒甲" not in out.getvalue()
