"""Cross-school enrolment (R-D3) on the platform: the office closes and allocates with the seeded lottery, all or
nothing; the round's files re-run with `junheng allocate courses` give its published result; a withdrawal moves
the waiting list in lottery order; students are seen only by their school, the office and the schools they
hold a seat in."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from junheng.core.tabular import run_import
from junheng.organisations.choices import Role, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.sharing import course_services
from junheng.sharing.allocation.command import allocate_files
from junheng.sharing.course_imports import APPLICATIONS
from junheng.sharing.course_services import enrolment_withdraw, round_allocate, round_close, round_files
from junheng.sharing.models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student


class Round:
    """A cluster of three schools: the lead offers two courses of one seat each, at the same slot, and a third
    course; students of the two others apply."""

    def __init__(self) -> None:
        district = District.objects.get(code="310151")
        self.cluster = Cluster.objects.create(name="选课测试集团", kind="group", district=district)
        self.lead, self.a, self.b = (self.school(n) for n in ("选课牵头校", "选课甲校", "选课乙校"))
        self.stranger = School.objects.create(name="选课外校", district=district, stage=Stage.PRIMARY)
        year = timezone.localdate()
        self.round = EnrolmentRound.objects.create(
            cluster=self.cluster,
            school_year=2024,
            semester=1,
            title="课后服务选课",
            opens_on=year - timedelta(days=3),
            closes_on=year + timedelta(days=3),
            max_per_student=1,
            seed=42,
        )
        self.robots = self.course("机器人", 1, ["Wed7"])
        self.drama = self.course("戏剧", 1, ["Wed7"])
        self.students = [
            Student.objects.create(
                student_number=f"XK{i}", name=f"学生{i}", school=self.a if i % 2 else self.b
            )
            for i in range(1, 5)
        ]
        for s in self.students:
            CourseApplication.objects.create(round=self.round, student=s, course=self.robots, rank=1)
            CourseApplication.objects.create(round=self.round, student=s, course=self.drama, rank=2)

    def school(self, name: str) -> School:
        school = School.objects.create(name=name, district=self.cluster.district, stage=Stage.PRIMARY)
        ClusterMembership.objects.create(
            cluster=self.cluster, school=school, tier=Tier.WEAKER, start_date=date(2023, 9, 1)
        )
        return school

    def course(self, title: str, capacity: int, slots: list[str]) -> SharedCourse:
        return SharedCourse.objects.create(
            school=self.lead,
            cluster=self.cluster,
            school_year=2024,
            semester=1,
            title=title,
            kind="after_school",
            capacity=capacity,
            slots=slots,
        )


def office(make_user: Any, world: Round) -> Any:
    return make_user(Role.CLUSTER_OFFICE, world.cluster, can_edit=True)


@pytest.mark.django_db
def test_the_office_closes_and_allocates_and_the_files_re_run_to_the_same_result(
    make_user: Any, tmp_path: Path
) -> None:
    world = Round()
    actor = office(make_user, world)
    with pytest.raises(ValidationError):  # applications first close
        round_allocate(actor=actor, round_=world.round)
    round_close(actor=actor, round_=world.round)
    with pytest.raises(ValidationError):  # a closed round takes no application
        course_services.application_save(
            actor=actor,
            instance=CourseApplication(
                round=world.round, student=world.students[0], course=world.robots, rank=3
            ),
        )
    round_allocate(actor=actor, round_=world.round)
    world.round.refresh_from_db()
    assert world.round.status == "allocated" and world.round.result["seed"] == 42
    seats = CourseEnrolment.objects.filter(round=world.round, status="enrolled")
    assert seats.count() == 2  # one seat in each course, one course per student
    assert CourseEnrolment.objects.filter(round=world.round, status="waiting").count() == 6
    first = world.round.result["lottery_order"][0]
    assert (
        seats.get(course=world.robots).student.student_number == first
    )  # the first drawn gets its first choice

    files = round_files(world.round)
    (tmp_path / "c.csv").write_text(files["courses"], encoding="utf-8")
    (tmp_path / "a.csv").write_text(files["applications"], encoding="utf-8")
    out = io.StringIO()
    allocate_files(
        {
            "courses": tmp_path / "c.csv",
            "applications": tmp_path / "a.csv",
            "seed": 42,
            "max_per_student": 1,
            "format": "json",
            "output": None,
        },
        out,
    )
    assert json.loads(out.getvalue()) == world.round.result


@pytest.mark.django_db
def test_an_allocation_that_fails_saves_nothing(make_user: Any, monkeypatch: Any) -> None:
    world = Round()
    actor = office(make_user, world)
    round_close(actor=actor, round_=world.round)
    monkeypatch.setattr(course_services, "check", lambda result: ["课程 C1 超出容量"])
    with pytest.raises(ValidationError):
        round_allocate(actor=actor, round_=world.round)
    world.round.refresh_from_db()
    assert world.round.status == "closed" and world.round.result == {}
    assert not CourseEnrolment.objects.filter(round=world.round).exists()

    def broken_save(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.undo()
    monkeypatch.setattr(course_services, "_save_enrolments", broken_save)
    with pytest.raises(RuntimeError):
        round_allocate(actor=actor, round_=world.round)
    world.round.refresh_from_db()
    assert world.round.status == "closed" and not CourseEnrolment.objects.filter(round=world.round).exists()


@pytest.mark.django_db
def test_a_withdrawal_gives_the_seat_to_the_next_in_lottery_order(make_user: Any) -> None:
    world = Round()
    actor = office(make_user, world)
    round_close(actor=actor, round_=world.round)
    round_allocate(actor=actor, round_=world.round)
    world.round.refresh_from_db()
    order = world.round.result["lottery_order"]
    seat = CourseEnrolment.objects.get(round=world.round, course=world.robots, status="enrolled")
    school_editor = make_user(Role.SCHOOL, seat.student.school, can_edit=True)
    with pytest.raises(PermissionDenied):  # another member school does not withdraw this student
        other = world.b if seat.student.school == world.a else world.a
        enrolment_withdraw(actor=make_user(Role.SCHOOL, other, can_edit=True), enrolment=seat)
    enrolment_withdraw(actor=school_editor, enrolment=seat)
    seat.refresh_from_db()
    assert seat.status == "withdrawn" and seat.withdrawal == 1
    # the drama seat holder (second in the lottery) is full; the third drawn takes the robots seat
    taker = CourseEnrolment.objects.get(round=world.round, course=world.robots, status="enrolled")
    assert taker.student.student_number == order[2]
    assert (
        CourseEnrolment.objects.get(
            round=world.round, course=world.drama, status="enrolled"
        ).student.student_number
        == order[1]
    )


@pytest.mark.django_db
def test_students_are_seen_by_their_school_the_office_and_the_school_they_enrol_in(make_user: Any) -> None:
    world = Round()
    student = world.students[0]  # of school 甲
    own = make_user(Role.SCHOOL, student.school, can_edit=True)
    mate = make_user(Role.SCHOOL, world.b)
    lead = make_user(Role.SCHOOL, world.lead)
    stranger = make_user(Role.SCHOOL, world.stranger)
    actor = office(make_user, world)
    assert Student.objects.restrict(own).filter(pk=student.pk).exists()
    assert Student.objects.restrict(actor).filter(pk=student.pk).exists()
    for outsider in (mate, lead, stranger):
        assert not Student.objects.restrict(outsider).filter(pk=student.pk).exists()
        assert not CourseApplication.objects.restrict(outsider).filter(student=student).exists()
    # the cluster mates see the round and its courses, not the students
    assert EnrolmentRound.objects.restrict(mate).filter(pk=world.round.pk).exists()
    assert not EnrolmentRound.objects.restrict(stranger).filter(pk=world.round.pk).exists()
    assert SharedCourse.objects.restrict(mate).filter(pk=world.robots.pk).exists()
    assert (
        not SharedCourse.objects.restrict(make_user(Role.SCHOOL, world.a, can_edit=True), "change")
        .filter(pk=world.robots.pk)
        .exists()
    )
    round_close(actor=actor, round_=world.round)
    round_allocate(actor=actor, round_=world.round)
    seated = set(
        CourseEnrolment.objects.filter(round=world.round, status="enrolled").values_list("student", flat=True)
    )
    seen_by_lead = set(Student.objects.restrict(lead).values_list("pk", flat=True))
    assert seen_by_lead == seated  # the offering school sees its enrolled students, no one waiting
    client = Client()
    client.force_login(mate)
    page = client.get(world.round.get_absolute_url()).content.decode()
    assert "42" in page and "XK1" not in page and student.name not in page  # 学生1 is of school 甲
    assert "学生2" in page  # its own student, named
    assert client.get(f"/sharing/enrolment-rounds/{world.round.pk}/files/applications.csv").status_code == 404
    client.force_login(actor)
    assert client.get(f"/sharing/enrolment-rounds/{world.round.pk}/files/applications.csv").status_code == 200


@pytest.mark.django_db
def test_importing_applications_twice_changes_nothing(make_user: Any) -> None:
    world = Round()
    editor = make_user(Role.SCHOOL, world.a, can_edit=True)
    sheet = (
        "学籍号,学生姓名,学生所在学校,课程编号,志愿序号\n"
        + f"XN1,新同学,{world.a.name},{world.robots.course_code},1\n"
        + f"XN1,新同学,{world.a.name},{world.drama.course_code},2\n"
    )
    assert run_import(APPLICATIONS, editor, "a.csv", sheet.encode()) == 2
    student = Student.objects.get(student_number="XN1")
    assert student.school == world.a and student.applications.count() == 2
    history = CourseApplication.history.count(), Student.history.count()  # type: ignore[attr-defined]  # added by simple-history
    run_import(APPLICATIONS, editor, "a.csv", sheet.encode())
    assert (CourseApplication.history.count(), Student.history.count()) == history  # type: ignore[attr-defined]
    stranger = make_user(Role.SCHOOL, world.stranger, can_edit=True)
    from junheng.core.imports import ImportFailed

    with pytest.raises(ImportFailed):
        run_import(
            APPLICATIONS,
            stranger,
            "a.csv",
            sheet.replace(world.a.name, world.stranger.name).replace("XN1", "XN2").encode(),
        )
