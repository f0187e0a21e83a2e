"""API schemas of teacher flow, and the rotation workflow's routes; the list, detail and write routes come from
the resource registry."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from junheng.core.scope import MAX_ID, access_object
from junheng.organisations.models import School

from .models import Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher
from .services import advance_rotation, end_rotation


class SchoolRef(Schema):
    id: int
    name: str


class TeacherRef(Schema):
    id: int
    name: str
    staff_number: str


def _school(school: School) -> dict[str, Any]:
    return {"id": school.pk, "name": school.name}


class TeacherOut(Schema):
    id: int
    name: str
    staff_number: str
    employer: SchoolRef
    employed_since: date
    stage: str
    subject: str
    backbone_tier: str
    cadre: str
    title: str
    is_demo: bool

    @staticmethod
    def resolve_employer(obj: Teacher) -> dict[str, Any]:
        return _school(obj.employer)


class EmploymentOut(Schema):
    id: int
    teacher: TeacherRef
    school: SchoolRef
    start_date: date
    end_date: date | None

    @staticmethod
    def resolve_school(obj: Employment) -> dict[str, Any]:
        return _school(obj.school)


class EligibilityExclusionOut(Schema):
    id: int
    teacher: TeacherRef
    school_year: int
    reason: str


class RotationOut(Schema):
    id: int
    teacher: TeacherRef
    kind: str
    from_school: SchoolRef
    host: SchoolRef
    start_date: date
    planned_end: date
    actual_end: date | None
    end_reason: str
    duties: list[str]
    subjects: str
    team: str
    status: str
    return_duty: str
    return_duty_from: date | None

    @staticmethod
    def resolve_from_school(obj: Rotation) -> dict[str, Any]:
        return _school(obj.from_school)

    @staticmethod
    def resolve_host(obj: Rotation) -> dict[str, Any]:
        return _school(obj.host)


class RotationAppraisalOut(Schema):
    id: int
    rotation: int
    teacher: TeacherRef
    school_year: int
    rating: str
    appraised_on: date
    note: str

    @staticmethod
    def resolve_rotation(obj: RotationAppraisal) -> int:
        return obj.rotation_id

    @staticmethod
    def resolve_teacher(obj: RotationAppraisal) -> Teacher:
        return obj.rotation.teacher


class StaffingPlanOut(Schema):
    id: int
    cluster: SchoolRef
    school_year: int
    covers_recruitment: bool
    covers_flow: bool
    covers_titles: bool
    covers_performance_pay: bool
    filed_on: date | None

    @staticmethod
    def resolve_cluster(obj: StaffingPlan) -> dict[str, Any]:
        return {"id": obj.cluster_id, "name": obj.cluster.name}


# The rotation's workflow -------------------------------------------------------------------------------------

router = Router(tags=["rotations"])


class ErrorOut(Schema):
    detail: str


class StepIn(Schema):
    to: Literal["agreed", "filed", "in_progress"]


class EndIn(Schema):
    on: date
    reason: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] = ""


def _step(request: HttpRequest, item_id: int, take: Any) -> Any:
    try:
        rotation = access_object(Rotation, request.user, item_id)
    except Http404:  # missing and out of scope answer alike
        return Status(404, {"detail": "Not found"})
    try:
        take(rotation)
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    except ValidationError as invalid:
        return Status(422, {"detail": "；".join(invalid.messages)})
    return Status(200, Rotation.objects.select_related("teacher", "from_school", "host").get(pk=rotation.pk))


Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post(
    "/rotations/{item_id}/advance/",
    response={200: RotationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="advance_rotation",
    summary="推进轮岗流程（同意、备案、开始）",
)
def advance(request: HttpRequest, item_id: Id, payload: StepIn) -> Any:
    return _step(request, item_id, lambda r: advance_rotation(actor=request.user, rotation=r, to=payload.to))


@router.post(
    "/rotations/{item_id}/end/",
    response={200: RotationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="end_rotation",
    summary="结束轮岗",
)
def end(request: HttpRequest, item_id: Id, payload: EndIn) -> Any:
    return _step(
        request,
        item_id,
        lambda r: end_rotation(actor=request.user, rotation=r, on=payload.on, reason=payload.reason.strip()),
    )
