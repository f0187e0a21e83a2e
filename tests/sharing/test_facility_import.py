"""The facilities import: rows matched by owner school and name, so that a second run changes nothing; a school
imports only its own facilities. And the demo's facility sharing, which shows every booking status."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.demo.facilities import demo_facilities_build
from junheng.organisations.choices import Role
from junheng.sharing.hours import is_open
from junheng.sharing.models import Booking, Facility

from ..test_work_imports import import_on_page, workbook
from .test_bookings import cluster_schools

pytestmark = pytest.mark.django_db
URL = "/sharing/facilities/import/facilities/"
HEADER = ["所属学校", "场馆设施名称", "类型", "容纳人数", "位置", "开放时间", "延时开放时间", "备注"]


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_template_has_the_columns_and_the_users_schools(make_user: Any) -> None:
    owner, _borrower, _stranger = cluster_schools()
    response = client_of(make_user(Role.SCHOOL, owner, can_edit=True)).get(URL, {"template": 1})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    assert [row[0].value for row in book["可填报的学校"].iter_rows(min_row=2)] == [owner.name]


def test_a_second_run_of_the_same_file_changes_nothing(make_user: Any) -> None:
    owner, _borrower, _stranger = cluster_schools()
    client = client_of(make_user(Role.SCHOOL, owner, can_edit=True))
    rows = [
        HEADER,
        [
            owner.name,
            "物理实验室",
            "实验室",
            40,
            "实验楼三层",
            "周一 08:00-12:00, 13:00-17:00；周三 13:00-17:00",
            "",
            "",
        ],
        [owner.name, "体育馆", "体育场馆", 120, "", "周一 08:00-17:00", "周六 09:00-12:00", "周末开放"],
    ]
    assert "已导入 2 条记录" in import_on_page(client, URL, "facilities.xlsx", workbook(rows))
    lab = Facility.objects.get(owner=owner, name="物理实验室")
    assert lab.kind == "laboratory" and lab.capacity == 40
    assert lab.opening_hours == {"1": [["08:00", "12:00"], ["13:00", "17:00"]], "3": [["13:00", "17:00"]]}
    assert Facility.objects.get(owner=owner, name="体育馆").extended_hours == {"6": [["09:00", "12:00"]]}
    history = sum(f.history.count() for f in Facility.objects.filter(owner=owner))  # type: ignore[attr-defined]  # added by simple-history

    assert 'id="import-saved"' in import_on_page(client, URL, "facilities.xlsx", workbook(rows))
    assert Facility.objects.filter(owner=owner).count() == 2
    assert sum(f.history.count() for f in Facility.objects.filter(owner=owner)) == history  # type: ignore[attr-defined]

    rows[1][3] = 48  # one changed row changes that facility only
    assert 'id="import-saved"' in import_on_page(client, URL, "facilities.xlsx", workbook(rows))
    lab.refresh_from_db()
    assert lab.capacity == 48 and Facility.objects.filter(owner=owner).count() == 2


def test_a_school_imports_only_its_own_facilities_and_a_bad_row_saves_nothing(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    client = client_of(make_user(Role.SCHOOL, borrower, can_edit=True))
    rows = [
        HEADER,
        [borrower.name, "图书馆", "图书馆", 60, "", "周一 08:00-17:00", "", ""],
        [owner.name, "物理实验室", "实验室", 40, "", "周一 08:00-17:00", "", ""],
        [borrower.name, "录播室", "实验室", 20, "", "周八 08:00-17:00", "", ""],
    ]
    page = import_on_page(client, URL, "facilities.xlsx", workbook(rows))
    assert owner.name in page and "周八" in page  # both wrong rows named
    assert not Facility.objects.filter(owner__in=[owner, borrower]).exists()


def test_the_demo_shows_every_booking_status_weekly_series_and_extended_hours() -> None:
    made = demo_facilities_build("small")
    assert made["facilities"] and made["bookings"]
    demo = Booking.objects.filter(is_demo=True)
    assert set(demo.values_list("status", flat=True)) == {"requested", "approved", "refused", "cancelled"}
    assert demo.exclude(series=None).values("series").distinct().count() >= 2
    assert Facility.objects.filter(is_demo=True).exclude(extended_hours={}).exists()

    def opens(hours: Any, booking: Booking) -> bool:
        return is_open(hours, booking.starts_at, booking.ends_at)

    bookings = list(demo.select_related("facility"))
    assert all(opens(b.facility.opening_hours, b) or opens(b.facility.extended_hours, b) for b in bookings)
    assert any(not opens(b.facility.opening_hours, b) for b in bookings)  # evenings and Saturdays
    # deterministic: the same bookings every build
    first = sorted(demo.values_list("facility__owner__code", "starts_at", "status", "series"))
    Booking.objects.filter(is_demo=True).delete()
    Facility.objects.filter(is_demo=True).delete()
    demo_facilities_build("small")
    assert (
        sorted(
            Booking.objects.filter(is_demo=True).values_list(
                "facility__owner__code", "starts_at", "status", "series"
            )
        )
        == first
    )
