"""Facility sharing's pages (R-D8): the usage report with hand-counted hours and its workbook, who reads it, a
facility's and a cluster's week calendar, a weekly series booked on its page with the clash named, the owner's
approval queue and its reminder on the home page."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import ClusterMembership, School
from junheng.sharing.models import Booking, Facility

from .test_bookings import ALL_DAY, MONDAY, at, cluster_schools

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lab_of(owner: School, **extra: Any) -> Facility:
    return Facility.objects.create(
        owner=owner,
        kind="laboratory",
        name="共享测试实验室",
        capacity=40,
        opening_hours=extra.pop("opening_hours", ALL_DAY),
        **extra,
    )


def book(facility: Facility, school: School, start: Any, end: Any, status: str) -> Booking:
    return Booking.objects.create(
        facility=facility,
        booking_school=school,
        starts_at=start,
        ends_at=end,
        purpose="物理实验课",
        group_size=30,
        status=status,
    )


@pytest.fixture
def march() -> dict[str, Any]:
    """A laboratory's March 2031, counted by hand: approved 2 h + 1.5 h by the borrower and 1 h of the owner's own
    use (4.5 h booked, 3.5 h of them by another school, 3 bookings); 1 h requested by another member school; a
    refused 3 h and a cancelled 2 h that count for nothing; bookings on 28 February and 1 April outside the month."""
    owner, borrower, stranger = cluster_schools()
    cluster = ClusterMembership.objects.filter(school=owner, end_date__isnull=True).first().cluster
    other = (
        ClusterMembership.objects.filter(cluster=cluster, end_date__isnull=True)
        .exclude(school__in=[owner, borrower])
        .order_by("school__name")
        .first()
        .school
    )
    lab = lab_of(owner)
    book(lab, borrower, at(MONDAY, 14), at(MONDAY, 16), "approved")
    book(lab, borrower, at(MONDAY + timedelta(days=1), 9), at(MONDAY + timedelta(days=1), 10, 30), "approved")
    book(lab, owner, at(MONDAY + timedelta(days=2), 8), at(MONDAY + timedelta(days=2), 9), "approved")
    book(lab, other, at(MONDAY + timedelta(days=3), 13), at(MONDAY + timedelta(days=3), 14), "requested")
    book(lab, other, at(MONDAY + timedelta(days=4), 8), at(MONDAY + timedelta(days=4), 11), "refused")
    book(lab, borrower, at(MONDAY + timedelta(days=4), 14), at(MONDAY + timedelta(days=4), 16), "cancelled")
    book(lab, borrower, at(date(2031, 2, 28), 9), at(date(2031, 2, 28), 12), "approved")
    book(lab, borrower, at(date(2031, 4, 1), 9), at(date(2031, 4, 1), 12), "approved")
    return {
        "owner": owner,
        "borrower": borrower,
        "other": other,
        "stranger": stranger,
        "lab": lab,
        "cluster": cluster,
    }


def usage_row(page: str, facility: Facility) -> str | None:
    found = re.search(rf'<tr data-facility="{facility.pk}">(.*?)</tr>', page, re.S)
    return found.group(1) if found else None


def cells(row: str, name: str) -> str:
    found = re.search(rf'class="text-end {name}">([^<]*)<', row)
    assert found, name
    return found.group(1)


def test_the_usage_report_counts_approved_hours_by_school_and_requests_apart(
    make_user: Any, march: dict[str, Any]
) -> None:
    owner_client = client_of(make_user(Role.SCHOOL, march["owner"]))
    page = owner_client.get("/sharing/facilities/usage/", {"month": "2031-03"}).content.decode()
    row = usage_row(page, march["lab"])
    assert row is not None
    assert (cells(row, "hours"), cells(row, "shared"), cells(row, "requested")) == ("4.5", "3.5", "1")
    schools = re.sub(r"<[^>]+>", "", row.split('class="schools">')[1])
    assert f"{march['borrower'].name} 3.5" in schools
    assert f"{march['owner'].name}（本校自用） 1" in schools
    assert march["other"].name in schools and "+1 小时待批" in schools
    # February holds only the 3 h booked on its last day
    february = owner_client.get("/sharing/facilities/usage/", {"month": "2031-02"}).content.decode()
    assert cells(usage_row(february, march["lab"]) or "", "hours") == "3"


def test_the_usage_workbook_holds_the_same_numbers(make_user: Any, march: dict[str, Any]) -> None:
    response = client_of(make_user(Role.SCHOOL, march["owner"])).get(
        "/sharing/facilities/usage.xlsx", {"month": "2031-03"}
    )
    assert response.status_code == 200
    book_ = openpyxl.load_workbook(io.BytesIO(response.content))
    summary, detail = book_.worksheets
    header = [c.value for c in summary[1]]
    (row,) = [dict(zip(header, [c.value for c in r], strict=True)) for r in summary.iter_rows(min_row=2)]
    assert (row["月份"], row["场馆设施"], row["预约时数"], row["其中其他学校"], row["已通过预约数"]) == (
        "2031-03",
        "共享测试实验室",
        4.5,
        3.5,
        3,
    )
    assert row["待审批时数"] == 1
    by_school = {r[3].value: (r[5].value, r[7].value) for r in detail.iter_rows(min_row=2)}
    assert by_school == {
        march["borrower"].name: (3.5, 0),
        march["owner"].name: (1, 0),
        march["other"].name: (0, 1),
    }


def test_the_report_is_the_owners_its_cluster_offices_and_districts_not_its_cluster_mates(
    make_user: Any, march: dict[str, Any]
) -> None:
    def sees(user: Any) -> bool:
        page = client_of(user).get("/sharing/facilities/usage/", {"month": "2031-03"}).content.decode()
        return usage_row(page, march["lab"]) is not None

    assert sees(make_user(Role.SCHOOL, march["owner"]))
    assert sees(make_user(Role.CLUSTER_OFFICE, march["cluster"]))
    assert sees(make_user(Role.DISTRICT_BUREAU, march["owner"].district))
    # the borrower books the laboratory and sees its calendar, but not how much the others use it
    borrower = make_user(Role.SCHOOL, march["borrower"])
    assert not sees(borrower)
    assert client_of(borrower).get(f"/sharing/facilities/{march['lab'].pk}/week/").status_code == 200
    stranger = make_user(Role.SCHOOL, march["stranger"])
    assert not sees(stranger)
    assert client_of(stranger).get(f"/sharing/facilities/{march['lab'].pk}/week/").status_code == 404


def test_the_week_calendar_shades_the_hours_and_shows_each_booking_with_its_school_and_status(
    make_user: Any,
) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = lab_of(owner, opening_hours={"1": [["08:00", "17:00"]]}, extended_hours={"6": [["09:00", "12:00"]]})
    book(lab, borrower, at(MONDAY, 14), at(MONDAY, 16), "approved")
    book(lab, borrower, at(MONDAY + timedelta(days=5), 9), at(MONDAY + timedelta(days=5), 11), "requested")
    book(lab, borrower, at(MONDAY, 9), at(MONDAY, 10), "refused")
    client = client_of(make_user(Role.SCHOOL, borrower))
    page = client.get(f"/sharing/facilities/{lab.pk}/week/", {"week": "2031-03-05"}).content.decode()
    assert "2031-03-03" in page and "2031-03-09" in page  # the week of a Wednesday runs Monday to Sunday
    approved = re.search(r'<a class="cal-booking cal-approved" style="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    requested = re.search(r'<a class="cal-booking cal-requested" style="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert approved and requested
    assert (
        "14:00–16:00" in approved.group(2)
        and borrower.name in approved.group(2)
        and "已通过" in approved.group(2)
    )
    assert "09:00–11:00" in requested.group(2) and "已申请" in requested.group(2)
    assert "grid-column: 2;" in approved.group(1) and "grid-column: 7;" in requested.group(
        1
    )  # Monday, Saturday
    assert page.count('class="cal-booking') == 2  # the refused booking holds no slot
    assert re.search(r'class="cal-open" style="grid-column: 2;', page)  # Monday's regular hours
    assert re.search(r'class="cal-extended" style="grid-column: 7;', page)  # Saturday's extended hours
    assert "?week=2031-02-24" in page and "?week=2031-03-10" in page  # the weeks before and after
    later = client.get(f"/sharing/facilities/{lab.pk}/week/", {"week": "2031-03-10"}).content.decode()
    assert 'class="cal-booking' not in later


def test_the_cluster_week_lays_the_member_schools_facilities_side_by_side(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = lab_of(owner)
    library = Facility.objects.create(
        owner=borrower, kind="library", name="共享测试图书馆", capacity=50, opening_hours=ALL_DAY
    )
    book(lab, borrower, at(MONDAY, 14), at(MONDAY, 16), "approved")
    book(library, owner, at(MONDAY, 14), at(MONDAY, 15), "requested")
    cluster = ClusterMembership.objects.filter(school=owner, end_date__isnull=True).first().cluster
    page = (
        client_of(make_user(Role.CLUSTER_OFFICE, cluster))
        .get(f"/sharing/clusters/{cluster.pk}/week/", {"week": "2031-03-03"})
        .content.decode()
    )
    rows = {
        name: row
        for row in re.findall(r"<tr>(.*?)</tr>", page.split('id="cluster-week"')[1], re.S)
        for name in ("共享测试实验室", "共享测试图书馆")
        if name in row
    }
    assert f"14:00–16:00 {borrower.name} · 已通过" in rows["共享测试实验室"]
    assert f"14:00–15:00 {owner.name} · 已申请" in rows["共享测试图书馆"]


def test_a_weekly_series_on_its_page_reports_each_week_and_names_the_clash(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = lab_of(owner)
    taken = book(
        lab, owner, at(MONDAY + timedelta(days=8), 13), at(MONDAY + timedelta(days=8), 15), "approved"
    )
    client = client_of(make_user(Role.SCHOOL, borrower, can_edit=True))
    form = {
        "facility": lab.pk,
        "booking_school": borrower.pk,
        "weekday": 2,
        "starts": "14:00",
        "ends": "16:00",
        "first_day": "2031-03-03",
        "until": "2031-03-25",
        "purpose": "物理实验课",
        "group_size": 30,
    }
    page = client.post("/sharing/bookings/weekly/", form).content.decode()
    weeks = re.findall(r'<tr class="(booked|refused)[^"]*">(.*?)</tr>', page, re.S)
    assert [(kind, re.search(r"\d{4}-\d\d-\d\d", row).group(0)) for kind, row in weeks] == [  # type: ignore[union-attr]
        ("booked", "2031-03-04"),
        ("refused", "2031-03-11"),
        ("booked", "2031-03-18"),
        ("booked", "2031-03-25"),
    ]
    assert f'冲突预约：<a href="{taken.get_absolute_url()}">{owner.name} 13:00–15:00（已通过）' in weeks[1][1]
    assert "3 周已预约" in page and "1 周未能预约" in page
    assert Booking.objects.filter(facility=lab, booking_school=borrower, status="requested").count() == 3


def test_the_owner_decides_from_its_queue_and_is_reminded_on_its_home_page(make_user: Any) -> None:
    owner, borrower, stranger = cluster_schools()
    lab = lab_of(owner)
    request = book(lab, borrower, at(MONDAY, 14), at(MONDAY, 16), "requested")
    owner_client = client_of(make_user(Role.SCHOOL, owner, can_edit=True))
    home = owner_client.get("/").content.decode()
    assert 'id="bookings-waiting"' in home and borrower.name in home.split('id="bookings-waiting"')[1]
    queue = owner_client.get("/sharing/bookings/approvals/").content.decode()
    assert borrower.name in queue and f"/sharing/bookings/{request.pk}/step/approved/" in queue
    response = owner_client.post(
        f"/sharing/bookings/{request.pk}/step/approved/", {"next": "/sharing/bookings/approvals/"}
    )
    assert response.status_code == 302 and response["Location"] == "/sharing/bookings/approvals/"
    assert "没有等待您审批的预约" in owner_client.get("/sharing/bookings/approvals/").content.decode()
    request.refresh_from_db()
    assert request.status == "approved"
    # the booking school waits for nobody's approval, nor does a school outside
    for school in (borrower, stranger):
        other = client_of(make_user(Role.SCHOOL, school, can_edit=True))
        assert 'id="bookings-waiting"' not in other.get("/").content.decode()
    # an address elsewhere is not followed
    again = book(lab, borrower, at(MONDAY, 17), at(MONDAY, 18), "requested")
    response = owner_client.post(
        f"/sharing/bookings/{again.pk}/step/refused/", {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == again.get_absolute_url()
