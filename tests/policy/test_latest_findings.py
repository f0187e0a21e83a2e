"""The findings that stand: for each pairing, the latest run covering its district — a district's own run as well
as a city-wide one — per edition. The pairing list, the pairing page, the home page and the reminders read them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from junheng.home import compliance_summary
from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.policy.reminders import reminders_for
from junheng.policy.selectors import latest_findings_for
from junheng.programmes.models import Pairing, ResidentAssignment

pytestmark = pytest.mark.django_db

BAOSHAN, QINGPU = "310113", "310118"


@pytest.fixture
def baoshan_pairing() -> Pairing:
    return Pairing.objects.get(kind="entrusted", sequence=1)  # 月浦中心校 (宝山)


@pytest.fixture
def qingpu_pairing() -> Pairing:
    return Pairing.objects.get(kind="entrusted", sequence=17)  # 金泽小学 (青浦)


def run(day: str, district: str | None = None) -> Any:
    area = District.objects.get(code=district) if district else None
    found, _findings = compliance_run(
        actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date.fromisoformat(day), district=area
    )
    return found


def staff(pairing: Pairing) -> None:
    """A full resident team from the round's start: R-B3 passes from then on."""
    for name, role in (("甲", "manager"), ("乙", "teacher"), ("丙", "teacher")):
        ResidentAssignment.objects.create(
            pairing=pairing, person_name=name, role=role, start_date=date(2021, 1, 1)
        )


def r_b3(user: Any, pairing: Pairing) -> Any:
    return next(f for f in latest_findings_for(user, [pairing])[pairing.pk] if f.rule == "R-B3")


def test_a_districts_own_run_stands_for_its_district_after_a_city_wide_one(
    municipal: Any, baoshan_pairing: Pairing, qingpu_pairing: Pairing
) -> None:
    city = run("2022-07-15")
    staff(baoshan_pairing)
    staff(qingpu_pairing)
    own = run("2022-07-16", BAOSHAN)
    assert (r_b3(municipal, baoshan_pairing).run, r_b3(municipal, baoshan_pairing).status) == (own, "pass")
    # 青浦 has not checked again: the city's run stands for it
    assert (r_b3(municipal, qingpu_pairing).run, r_b3(municipal, qingpu_pairing).status) == (city, "fail")
    later_city = run("2022-07-17")
    assert r_b3(municipal, baoshan_pairing).run == later_city
    assert r_b3(municipal, qingpu_pairing).status == "pass"
    # one finding per rule per pairing
    rules = [f.rule for f in latest_findings_for(municipal, [baoshan_pairing])[baoshan_pairing.pk]]
    assert len(rules) == len(set(rules))


def test_reading_the_findings_of_many_pairings_takes_a_few_queries(
    municipal: Any, django_assert_max_num_queries: Any
) -> None:
    run("2022-07-15")
    run("2022-07-16", BAOSHAN)
    run("2022-07-16", QINGPU)
    pairings = list(Pairing.objects.all())
    assert len(pairings) > 50
    with django_assert_max_num_queries(4):
        found = latest_findings_for(municipal, pairings)
    assert sum(len(findings) for findings in found.values()) > 100


def test_the_pairing_list_shows_each_pairings_compliance(
    make_user: Any, baoshan_pairing: Pairing, django_assert_max_num_queries: Any
) -> None:
    run("2022-07-15", BAOSHAN)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code=BAOSHAN)))
    with django_assert_max_num_queries(20):
        page = client.get("/programmes/pairings/", {"per_page": 100}).content.decode()
    assert "<th" in page and "合规状态" in page
    row = page.split(f'href="/programmes/pairings/{baoshan_pairing.pk}/"')[1].split("</tr>")[0]
    assert "精准委托管理常驻团队不少于3人，其中管理人员不少于1人" in row and "status-fail" in row


def test_a_pairing_that_passes_reads_compliant_and_one_never_checked_reads_so(
    make_user: Any, baoshan_pairing: Pairing
) -> None:
    run("2022-07-15", BAOSHAN)
    client = Client()
    client.force_login(make_user(Role.MUNICIPAL))
    page = client.get("/programmes/pairings/", {"per_page": 500}).content.decode()
    qingpu_row = next(row for row in page.split("</tr>") if "金泽小学" in row)
    assert "未检查" in qingpu_row


def test_the_pairing_page_leads_with_its_findings_and_their_sentences(
    make_user: Any, baoshan_pairing: Pairing
) -> None:
    run("2022-07-15", BAOSHAN)  # a district's own run shows, not only a city-wide one
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, baoshan_pairing.supported_school.district))
    page = client.get(f"/programmes/pairings/{baoshan_pairing.pk}/").content.decode()
    sections = page.split('<h2 class="h5 me-auto">')[1:]
    assert sections[0].startswith("合规检查</h2>")
    assert "常驻人员 0 人" in sections[0] and "S1 四.2" in sections[0] and "status-fail" in sections[0]


def test_home_and_reminders_read_a_districts_own_run(make_user: Any) -> None:
    run("2022-06-10", BAOSHAN)
    user = make_user(Role.DISTRICT_BUREAU, District.objects.get(code=BAOSHAN))
    summary = compliance_summary(user)
    assert summary["totals"]["fail"] > 0 and str(summary["as_of"]) == "2022-06-10"
    assert any(item.finding.subject_name.startswith("月浦中心校") for item in reminders_for(user))
