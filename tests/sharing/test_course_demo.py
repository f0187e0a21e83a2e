"""The demo's shared courses and enrolment: every kind of course, the same on every build; in the demo accounts'
cluster a spring round allocated by the real lottery, whose files re-run to its published result, with a
withdrawal that moved a waiting list, and an autumn round open with applications, closing soon after the demo's
day; its cluster office sees both on its pages."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from junheng.demo.city import TODAY
from junheng.demo.courses import demo_courses_build, demo_courses_remove
from junheng.organisations.choices import Role
from junheng.sharing.allocation.command import allocate_files
from junheng.sharing.course_choices import CourseKind
from junheng.sharing.course_reminders import rounds_closing
from junheng.sharing.course_services import current_allocation, round_files
from junheng.sharing.models import CourseEnrolment, EnrolmentRound, SharedCourse

pytestmark = pytest.mark.django_db


def courses_snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        SharedCourse.objects.values_list(
            "school__code", "school_year", "semester", "title", "capacity", "slots"
        )
    )


def test_the_demo_offers_every_kind_and_is_the_same_on_every_build() -> None:
    made = demo_courses_build("small")
    assert set(SharedCourse.objects.values_list("kind", flat=True)) == set(CourseKind)
    first, spring = courses_snapshot(), EnrolmentRound.objects.get(status="allocated")
    seats = sorted(spring.enrolments.values_list("student__student_number", "course__title", "status"))
    demo_courses_remove()
    assert not SharedCourse.objects.exists() and not EnrolmentRound.objects.exists()
    assert demo_courses_build("small") == made
    assert courses_snapshot() == first
    spring = EnrolmentRound.objects.get(status="allocated")
    assert (
        sorted(spring.enrolments.values_list("student__student_number", "course__title", "status")) == seats
    )


def test_the_allocated_round_re_runs_from_its_files_and_its_withdrawal_moved_a_waiting_list(
    tmp_path: Path,
) -> None:
    demo_courses_build("small")
    spring = EnrolmentRound.objects.get(status="allocated")
    withdrawn = CourseEnrolment.objects.get(round=spring, status="withdrawn")
    (move,) = current_allocation(spring).moves
    assert (move.course_id, move.student_id) == (
        withdrawn.course.course_code,
        withdrawn.student.student_number,
    )
    taker = spring.enrolments.get(student__student_number=move.taken_by, course=withdrawn.course)
    assert taker.status == "enrolled" and taker.waiting_place is None  # the one waiting took the seat
    files = round_files(spring)
    (tmp_path / "c.csv").write_text(files["courses"], encoding="utf-8")
    (tmp_path / "a.csv").write_text(files["applications"], encoding="utf-8")
    out = io.StringIO()
    arguments = {"courses": tmp_path / "c.csv", "applications": tmp_path / "a.csv", "seed": spring.seed}
    allocate_files({**arguments, "max_per_student": 2, "format": "json", "output": None}, out)
    assert json.loads(out.getvalue()) == spring.result


def test_the_accounts_cluster_office_sees_its_rounds_and_the_autumn_round_closing(make_user: Any) -> None:
    demo_courses_build("small")
    autumn = EnrolmentRound.objects.get(status="open")
    assert autumn.applications.exists() and not autumn.enrolments.exists()
    office = make_user(Role.CLUSTER_OFFICE, autumn.cluster, can_edit=True)
    assert rounds_closing(office, TODAY) == [autumn]
    client = Client()
    client.force_login(office)
    page = client.get("/sharing/enrolment-rounds/").content.decode()
    assert "2025年春季跨校选课" in page and "2025年秋季跨校选课" in page
    spring = EnrolmentRound.objects.get(status="allocated")
    detail = client.get(spring.get_absolute_url()).content.decode()
    assert str(spring.seed) in detail and "courses.csv" in detail
