"""API schemas of shared courses and their enrolment, and the routes of a round's steps (close, allocate) and of
a withdrawal; lists, details and writes come from the resource registry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema, Status

from junheng.core.scope import MAX_ID, access_object

from .course_services import enrolment_withdraw, round_allocate, round_close
from .models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student


class Ref(Schema):
    id: int
    name: str


def _ref(record: Any, name: str = "") -> dict[str, Any]:
    return {"id": record.pk, "name": name or str(record)}


class SharedCourseOut(Schema):
    id: int
    code: str
    school: Ref
    cluster: Ref
    school_year: int
    semester: int
    title: str
    kind: str
    subject: str
    stages: str
    grades: str
    capacity: int
    slots: list[str]
    sessions: list[str]
    teacher: str
    place: str
    note: str
    is_demo: bool

    @staticmethod
    def resolve_code(obj: SharedCourse) -> str:
        return obj.course_code

    @staticmethod
    def resolve_school(obj: SharedCourse) -> dict[str, Any]:
        return _ref(obj.school, obj.school.name)

    @staticmethod
    def resolve_cluster(obj: SharedCourse) -> dict[str, Any]:
        return _ref(obj.cluster, obj.cluster.name)


class StudentOut(Schema):
    id: int
    student_number: str
    name: str
    school: Ref

    @staticmethod
    def resolve_school(obj: Student) -> dict[str, Any]:
        return _ref(obj.school, obj.school.name)


class EnrolmentRoundOut(Schema):
    id: int
    cluster: Ref
    school_year: int
    semester: int
    title: str
    opens_on: Any
    closes_on: Any
    max_per_student: int
    seed: int
    status: str
    allocated_at: datetime | None
    lottery_order: list[str]

    @staticmethod
    def resolve_cluster(obj: EnrolmentRound) -> dict[str, Any]:
        return _ref(obj.cluster, obj.cluster.name)

    @staticmethod
    def resolve_lottery_order(obj: EnrolmentRound) -> list[str]:
        return list(obj.result.get("lottery_order", []))


class CourseApplicationOut(Schema):
    id: int
    round: Ref
    student: Ref
    course: Ref
    rank: int

    @staticmethod
    def resolve_round(obj: CourseApplication) -> dict[str, Any]:
        return _ref(obj.round, obj.round.title)

    @staticmethod
    def resolve_student(obj: CourseApplication) -> dict[str, Any]:
        return _ref(obj.student)

    @staticmethod
    def resolve_course(obj: CourseApplication) -> dict[str, Any]:
        return _ref(obj.course, obj.course.title)


class CourseEnrolmentOut(Schema):
    id: int
    round: Ref
    student: Ref
    course: Ref
    status: str
    lottery: int
    waiting_place: int | None

    @staticmethod
    def resolve_round(obj: CourseEnrolment) -> dict[str, Any]:
        return _ref(obj.round, obj.round.title)

    @staticmethod
    def resolve_student(obj: CourseEnrolment) -> dict[str, Any]:
        return _ref(obj.student)

    @staticmethod
    def resolve_course(obj: CourseEnrolment) -> dict[str, Any]:
        return _ref(obj.course, obj.course.title)


router = Router(tags=["enrolment"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    detail: str


def _step(request: HttpRequest, model: Any, item_id: int, take: Any, out: Any) -> Any:
    try:
        record = access_object(model, request.user, item_id)
    except Http404:  # missing and out of scope answer alike
        return Status(404, {"detail": "Not found"})
    try:
        take(record)
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    except ValidationError as invalid:
        return Status(422, {"detail": "；".join(invalid.messages)})
    return Status(200, out(record.pk))


def _round(pk: int) -> EnrolmentRound:
    found: EnrolmentRound = EnrolmentRound.objects.select_related("cluster").get(pk=pk)
    return found


def _enrolment(pk: int) -> CourseEnrolment:
    found: CourseEnrolment = CourseEnrolment.objects.select_related("round", "student", "course").get(pk=pk)
    return found


STEP_RESPONSES = {200: EnrolmentRoundOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/enrolment-rounds/{item_id}/close/",
    response=STEP_RESPONSES,
    operation_id="close_enrolment_round",
    summary="截止选课申请",
)
def close(request: HttpRequest, item_id: Id) -> Any:
    return _step(
        request, EnrolmentRound, item_id, lambda r: round_close(actor=request.user, round_=r), _round
    )


@router.post(
    "/enrolment-rounds/{item_id}/allocate/",
    response=STEP_RESPONSES,
    operation_id="allocate_enrolment_round",
    summary="抽签分配选课名额",
)
def allocate(request: HttpRequest, item_id: Id) -> Any:
    return _step(
        request, EnrolmentRound, item_id, lambda r: round_allocate(actor=request.user, round_=r), _round
    )


@router.post(
    "/course-enrolments/{item_id}/withdraw/",
    response={200: CourseEnrolmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="withdraw_course_enrolment",
    summary="退选，名额按抽签顺序递补",
)
def withdraw(request: HttpRequest, item_id: Id) -> Any:
    return _step(
        request,
        CourseEnrolment,
        item_id,
        lambda e: enrolment_withdraw(actor=request.user, enrolment=e),
        _enrolment,
    )
