"""Each role's home shows its own work (issue 13.2) and its menus only what the role uses (13.5): every link of
the menus and of the home page answers the role with 200."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from junheng.navigation import NAVIGATION
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, Membership, School
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.programmes.models import Pairing, PlanReview, ThreeYearPlan
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def checked() -> None:
    """The city as the daily check leaves it."""
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 7, 15))


def home_of(user: Any) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def menu_titles(page: str) -> list[str]:
    return re.findall(r'data-bs-toggle="dropdown" aria-expanded="false">([^<]+)</a>', page)


def links_of(page: str) -> set[str]:
    """The pages the menus and the home page link to (not logout, language or static files)."""
    main = page.split("<main", 1)[1]
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    return {
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(/[^"#]*)"', nav + main)
        if not href.startswith(("/static/", "/i18n/"))
    }


def test_a_school_sees_its_pairing_its_due_items_and_no_city(make_user: Any, checked: None) -> None:
    yuepu = School.objects.get(name="月浦中心校")
    page = home_of(make_user(Role.SCHOOL, yuepu, can_edit=True))
    assert 'id="reminders"' in page and 'id="compliance"' in page
    pairings = page.split('id="pairings"')[1]
    assert "月浦中心校 ← 杨浦小学" in pairings
    assert 'id="district-rows"' not in page  # no city statistics for a principal
    assert "登记互动交流" in page  # the next step it may take
    assert menu_titles(page) == [
        "名册",
        "携手共进计划",
        "教师流动",
        "资源库与学生活动",
        "场馆设施共享",
        "联合教研与视导",
        "共享课程",
        "合规检查",
        "评价与监测",
    ]


def test_a_bureau_sees_what_fails_in_its_district(make_user: Any, checked: None) -> None:
    baoshan = District.objects.get(code="310113")
    bureau = make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True)
    Membership.objects.filter(user=bureau).update(is_administrator=True)
    page = home_of(bureau)
    compliance = page.split('id="compliance"')[1]
    assert 'id="compliance-chart"' in compliance and 'id="compliance-rows"' in compliance
    assert "开展合规检查" in page
    assert "管理" in menu_titles(page)  # it administers its district's roles
    foreign = Pairing.objects.exclude(supported_school__district=baoshan).exclude(
        supporting_school__district=baoshan
    )
    assert not any(str(p) in page for p in foreign.filter(kind="entrusted")[:20])


def test_a_read_only_bureau_is_not_offered_a_check(make_user: Any) -> None:
    page = home_of(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    assert "开展合规检查" not in page and "登记互动交流" not in page


def test_an_expert_sees_the_plans_it_reviews_and_nothing_else(make_user: Any) -> None:
    expert = make_user(Role.EXPERT)
    pairing = Pairing.objects.filter(plan__isnull=True).order_by("pk").first()
    plan = ThreeYearPlan.objects.create(pairing=pairing, title="首页三年规划", status="under_review")
    PlanReview.objects.create(plan=plan, expert=expert)
    page = home_of(expert)
    reviews = page.split('id="reviews"')[1]
    assert str(plan) in reviews and "待评审" in reviews
    assert 'id="compliance"' not in page and 'id="district-rows"' not in page
    assert menu_titles(page) == ["携手共进计划"]
    assert "待评审的三年规划" in page and "常驻人员" not in page


def test_a_teacher_sees_its_own_record_and_no_menus_of_organisations(make_user: Any) -> None:
    yuepu = School.objects.get(name="月浦中心校")
    user = make_user(Role.TEACHER, yuepu)
    Teacher.objects.create(
        name="首页教师", staff_number="T-HOME-1", employer=yuepu, employed_since=date(2016, 9, 1), user=user
    )
    page = home_of(user)
    record = page.split('id="my-record"')[1]
    assert "首页教师" in record and "月浦中心校" in record and "2016-09-01" in record
    assert 'href="/staffing/my-record/"' in record and "certificate.pdf" in record
    assert menu_titles(page) == ["教师流动", "资源库与学生活动"]  # its own record, and the resources it uses
    assert not re.search(r'href="/staffing/(teachers|rotations)/"', page)
    assert 'id="compliance"' not in page and 'id="pairings"' not in page


def test_a_cluster_office_sees_its_cluster(make_user: Any) -> None:
    cluster = Cluster.objects.filter(is_demo=True).order_by("pk").first()
    page = home_of(make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True))
    assert cluster.name in page.split('id="clusters"')[1]
    assert 'id="pairings"' not in page


def test_an_account_without_a_role_is_told_what_to_do(make_user: Any) -> None:
    page = home_of(make_user())
    assert 'id="no-role"' in page and menu_titles(page) == []


ROLE_HOLDERS = {
    "municipal": lambda make_user: make_user(Role.MUNICIPAL, can_edit=True),
    "district": lambda make_user: make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), True),
    "cluster": lambda make_user: make_user(
        Role.CLUSTER_OFFICE, Cluster.objects.filter(district__code="310113").first(), True
    ),
    "school": lambda make_user: make_user(Role.SCHOOL, School.objects.get(name="月浦中心校"), True),
    "unit": lambda make_user: make_user(
        Role.SUPPORTING_UNIT, Institution.objects.get(name="上海名师培训中心"), True
    ),
    "expert": lambda make_user: make_user(Role.EXPERT),
    "teacher": lambda make_user: make_user(Role.TEACHER, School.objects.get(name="月浦中心校")),
}


@pytest.mark.parametrize("holder", ROLE_HOLDERS)
def test_every_link_of_a_roles_menus_and_home_answers(holder: str, make_user: Any, checked: None) -> None:
    user = ROLE_HOLDERS[holder](make_user)
    client = client_for(user)
    links = links_of(home_of(user))
    assert links, holder
    broken = {url: status for url in links if (status := client.get(url).status_code) != 200}
    assert broken == {}


def test_every_menu_entry_names_roles_that_use_it() -> None:
    for menu in NAVIGATION:
        for entry in menu.entries:
            assert entry.roles <= set(Role.values), entry
