"""Facility sharing (R-D8): a school of the owner's cluster books, the owner decides, the booking school cancels;
one slot is never held twice — the database refuses it, even from 50 connections asking at once."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.sharing.models import Booking, Facility
from junheng.sharing.services import booking_cancel, booking_decide, booking_request, booking_request_weekly

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALL_DAY = {str(day): [["00:00", "24:00"]] for day in range(1, 8)}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


MONDAY = date(2031, 3, 3)


def cluster_schools() -> tuple[School, School, School]:
    """Two schools of one demo cluster (owner and borrower) and a school in no cluster with the owner."""
    cluster = Cluster.objects.filter(is_demo=True).order_by("name").first()
    members = list(cluster.memberships.filter(end_date__isnull=True).order_by("school__name"))
    owner, borrower = members[0].school, members[1].school
    owners_clusters = ClusterMembership.objects.filter(school=owner).values("cluster")
    mates = ClusterMembership.objects.filter(cluster__in=owners_clusters).values("school")
    stranger = School.objects.exclude(pk__in=mates).order_by("name").first()
    return owner, borrower, stranger


def laboratory(owner: School, **extra: Any) -> Facility:
    return Facility.objects.create(
        owner=owner,
        kind="laboratory",
        name="共享测试实验室",
        capacity=40,
        opening_hours=extra.pop("opening_hours", ALL_DAY),
        **extra,
    )


def booking(facility: Facility, school: School, start: datetime, end: datetime, size: int = 30) -> Booking:
    return Booking(
        facility=facility,
        booking_school=school,
        starts_at=start,
        ends_at=end,
        purpose="物理实验课",
        group_size=size,
    )


# The rules of sharing --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_school_of_the_owners_cluster_requests_and_the_owner_approves(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = laboratory(owner)
    requested = booking_request(
        actor=make_user(Role.SCHOOL, borrower, can_edit=True),
        instance=booking(lab, borrower, at(MONDAY, 14), at(MONDAY, 16)),
    )
    assert requested.status == "requested"
    owner_editor = make_user(Role.SCHOOL, owner, can_edit=True)
    approved = booking_decide(actor=owner_editor, booking=requested, to="approved")
    assert approved.status == "approved" and approved.decided_by == owner_editor
    assert approved.history.count() == 2  # type: ignore[attr-defined]  # added by simple-history


@pytest.mark.django_db
def test_the_rules_name_what_is_wrong(make_user: Any) -> None:
    owner, borrower, stranger = cluster_schools()
    lab = laboratory(
        owner, opening_hours={"1": [["08:00", "17:00"]]}, extended_hours={"1": [["18:00", "21:00"]]}
    )
    with pytest.raises(ValidationError) as outside:
        booking_request(
            actor=make_user(Role.SCHOOL, stranger, can_edit=True),
            instance=booking(lab, stranger, at(MONDAY, 9), at(MONDAY, 10)),
        )
    assert "booking_school" in outside.value.message_dict
    editor = make_user(Role.SCHOOL, borrower, can_edit=True)
    with pytest.raises(ValidationError) as too_many:
        booking_request(actor=editor, instance=booking(lab, borrower, at(MONDAY, 9), at(MONDAY, 10), size=41))
    assert too_many.value.message_dict["group_size"] == ["该场馆设施可容纳40人。"]
    with pytest.raises(ValidationError) as closed:
        booking_request(actor=editor, instance=booking(lab, borrower, at(MONDAY, 16), at(MONDAY, 18)))
    assert "starts_at" in closed.value.message_dict
    evening = booking_request(actor=editor, instance=booking(lab, borrower, at(MONDAY, 18), at(MONDAY, 20)))
    assert evening.pk  # inside the extended hours
    with pytest.raises(PermissionDenied):  # the owner does not request on another school's behalf
        booking_request(
            actor=make_user(Role.SCHOOL, owner, can_edit=True),
            instance=booking(lab, borrower, at(MONDAY, 9), at(MONDAY, 10)),
        )


@pytest.mark.django_db
def test_only_the_owner_decides_and_only_the_booking_school_cancels(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = laboratory(owner)
    borrower_editor = make_user(Role.SCHOOL, borrower, can_edit=True)
    requested = booking_request(
        actor=borrower_editor, instance=booking(lab, borrower, at(MONDAY, 8), at(MONDAY, 9))
    )
    with pytest.raises(PermissionDenied):
        booking_decide(actor=borrower_editor, booking=requested, to="approved")
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=make_user(Role.SCHOOL, owner, can_edit=True), booking=requested)
    cancelled = booking_cancel(actor=borrower_editor, booking=requested)
    assert cancelled.status == "cancelled"
    with pytest.raises(ValidationError):
        booking_decide(actor=make_user(Role.SCHOOL, owner, can_edit=True), booking=cancelled, to="approved")
    again = booking_request(  # the cancelled booking holds its slot no longer
        actor=borrower_editor, instance=booking(lab, borrower, at(MONDAY, 8), at(MONDAY, 9))
    )
    assert again.status == "requested"


@pytest.mark.django_db
def test_touching_bookings_do_not_clash_and_the_database_refuses_an_overlap(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = laboratory(owner)
    editor = make_user(Role.SCHOOL, borrower, can_edit=True)
    booking_request(actor=editor, instance=booking(lab, borrower, at(MONDAY, 8), at(MONDAY, 10)))
    booking_request(actor=editor, instance=booking(lab, borrower, at(MONDAY, 10), at(MONDAY, 12)))
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):  # past every check in Python: the database's own
        booking(lab, borrower, at(MONDAY, 9), at(MONDAY, 11)).save()
    refused = booking(lab, borrower, at(MONDAY, 9), at(MONDAY, 11))
    refused.status = "refused"
    refused.save()  # a refused booking holds nothing, so overlaps nothing


# Weekly series ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_weekly_series_books_every_free_week_and_names_the_clash(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = laboratory(owner)
    owner_editor = make_user(Role.SCHOOL, owner, can_edit=True)
    owners_own = booking_request(  # the owner's own class, in the third week
        actor=owner_editor, instance=booking(lab, owner, at(date(2031, 3, 17), 15), at(date(2031, 3, 17), 17))
    )
    assert owners_own.status == "approved"
    report = booking_request_weekly(
        actor=make_user(Role.SCHOOL, borrower, can_edit=True),
        template=booking(lab, borrower, at(MONDAY, 14), at(MONDAY, 16)),
        until=date(2031, 4, 1),
    )
    assert [o.starts_at.date() for o in report.occurrences] == [
        date(2031, 3, 3),
        date(2031, 3, 10),
        date(2031, 3, 17),
        date(2031, 3, 24),
        date(2031, 3, 31),
    ]
    assert [o.starts_at.date() for o in report.refused] == [date(2031, 3, 17)]
    assert report.refused[0].clash == owners_own
    assert report.refused[0].reason == "该场馆设施在此时段已被预约。"
    assert Booking.objects.filter(series=report.series).count() == 4


# The API ---------------------------------------------------------------------------------------------------


def api_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(user)}")


def payload(lab: Facility, school: School, start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "facility": lab.pk,
        "booking_school": school.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "化学实验",
        "group_size": 20,
    }


@pytest.mark.django_db
def test_the_api_answers_201_then_409_naming_the_booking_holding_the_slot(make_user: Any) -> None:
    owner, borrower, _stranger = cluster_schools()
    lab = laboratory(owner)
    api = api_client(make_user(Role.SCHOOL, borrower, can_edit=True))
    first = api.post(
        "/api/v1/bookings/",
        payload(lab, borrower, at(MONDAY, 9), at(MONDAY, 11)),
        content_type="application/json",
    )
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "requested"
    second = api.post(
        "/api/v1/bookings/",
        payload(lab, borrower, at(MONDAY, 10), at(MONDAY, 12)),
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json() == {
        "detail": "该场馆设施在此时段已被预约。",
        "conflicting": {
            "id": first.json()["id"],
            "facility": {"id": lab.pk, "name": lab.name},
            "starts_at": "2031-03-03T01:00:00Z",
            "ends_at": "2031-03-03T03:00:00Z",
            "school": {"id": borrower.pk, "name": borrower.name},
            "status": "requested",
        },
    }
    assert Booking.objects.filter(facility=lab).count() == 1


@pytest.mark.django_db
def test_the_owners_cluster_sees_the_facility_and_a_school_outside_does_not(make_user: Any) -> None:
    owner, borrower, stranger = cluster_schools()
    lab = laboratory(owner)
    mate, outsider = (
        make_user(Role.SCHOOL, borrower, can_edit=True),
        make_user(Role.SCHOOL, stranger, can_edit=True),
    )
    assert api_client(mate).get(f"/api/v1/facilities/{lab.pk}/").status_code == 200
    assert api_client(outsider).get(f"/api/v1/facilities/{lab.pk}/").status_code == 404
    assert (
        api_client(mate)
        .patch(f"/api/v1/facilities/{lab.pk}/", {}, content_type="application/json")
        .status_code
        == 403
    )
    refused = api_client(outsider).post(
        "/api/v1/bookings/",
        payload(lab, stranger, at(MONDAY, 9), at(MONDAY, 10)),
        content_type="application/json",
    )
    assert refused.status_code == 422 and "facility" in refused.json()["detail"]  # a facility it cannot see
    requested = (
        api_client(mate)
        .post(
            "/api/v1/bookings/",
            payload(lab, borrower, at(MONDAY, 9), at(MONDAY, 10)),
            content_type="application/json",
        )
        .json()
    )
    decide = {"to": "approved"}
    url = f"/api/v1/bookings/{requested['id']}/decide/"
    assert api_client(mate).post(url, decide, content_type="application/json").status_code == 403
    assert api_client(outsider).post(url, decide, content_type="application/json").status_code == 404
    owner_api = api_client(make_user(Role.SCHOOL, owner, can_edit=True))
    assert owner_api.post(url, decide, content_type="application/json").json()["status"] == "approved"


# Fifty at once ---------------------------------------------------------------------------------------------


def in_own_connection(work: Any) -> Any:
    """Runs `work` in a thread of its own, so on a connection of its own that commits for real."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    return result.get("value")


@pytest.mark.django_db
def test_fifty_concurrent_requests_for_one_slot_book_it_once() -> None:
    """Fifty threads, each on its own database connection, request the same slot at the same moment: one is
    booked, 49 are told of it. The test's own connection stays out (its transaction would hide their rows);
    the last thread removes what they made."""
    from django.contrib.auth import get_user_model

    owner, borrower, _stranger = cluster_schools()

    def prepare() -> tuple[Facility, Any]:
        actor = get_user_model().objects.create_superuser(
            username="booking-concurrency", password="x-9-y-8-z"
        )
        return laboratory(owner), actor

    lab, actor = in_own_connection(prepare)
    start = threading.Barrier(50)
    outcomes: list[str] = []

    def request() -> None:
        try:
            start.wait(timeout=30)
            for _attempt in range(400):
                try:
                    booking_request(
                        actor=actor, instance=booking(lab, borrower, at(MONDAY, 14), at(MONDAY, 16))
                    )
                    outcomes.append("booked")
                    return
                except ValidationError as refused:
                    outcomes.append("told of the clash" if refused.params else f"refused: {refused.messages}")
                    return
                except OperationalError:  # SQLite: another writer holds the database; ask again
                    time.sleep(0.02)
            outcomes.append("never got to write")
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    def count_and_remove() -> int:
        """Removes the rows and their audit records, which would otherwise reach later tests."""
        bookings = list(Booking.objects.filter(facility=lab).values_list("pk", flat=True))
        Booking.objects.filter(pk__in=bookings).delete()
        Facility.objects.filter(pk=lab.pk).delete()
        Booking.history.filter(id__in=bookings).delete()  # type: ignore[attr-defined]  # added by simple-history
        Facility.history.filter(id=lab.pk).delete()  # type: ignore[attr-defined]  # likewise
        get_user_model().objects.filter(pk=actor.pk).delete()
        return len(bookings)

    held = in_own_connection(count_and_remove)
    assert sorted(outcomes) == ["booked"] + ["told of the clash"] * 49
    assert held == 1


@pytest.mark.django_db
def test_the_slot_is_kept_by_the_database_itself() -> None:
    """An exclusion constraint on PostgreSQL, two triggers on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'x'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert "booking_one_at_a_time" in {name.removesuffix("_insert").removesuffix("_update") for name in names}
