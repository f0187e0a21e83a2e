"""API routes of an application's steps: `/api/v1/accreditations/{id}/apply/`, `/recommend/`, `/accredit/`,
`/return/`, each with an optional comment (a return's is required). 403 for a role that does not take the step,
409 for an application not where the step starts, 404 for one out of scope."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from junheng.core.api import ErrorOut
from junheng.core.resources import REGISTRY
from junheng.core.scope import MAX_ID, access_object
from junheng.organisations.services import StepConflict

from .models import Accreditation, Step
from .services import take_step

router = Router(tags=["accreditations"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
RESPONSES = {
    200: REGISTRY["accreditations"].schema,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class StepIn(Schema):
    comment: Annotated[str, Field(max_length=1000, pattern=r"^[^\x00]*$")] = ""


def _take(request: HttpRequest, item_id: int, step: str, comment: str) -> Any:
    try:
        accreditation = access_object(Accreditation, request.user, item_id)
    except Http404:
        return Status(404, {"detail": "Not found"})
    try:
        taken = take_step(actor=request.user, accreditation=accreditation, step=step, comment=comment.strip())
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    except StepConflict as conflict:
        return Status(409, {"detail": "；".join(conflict.messages)})
    except ValidationError as invalid:
        return Status(422, {"detail": "；".join(invalid.messages)})
    return Status(200, taken)


def _route(step: str, summary: str) -> None:
    def take(request: HttpRequest, item_id: Id, payload: StepIn) -> Any:
        return _take(request, item_id, step, payload.comment)

    router.post(
        f"/accreditations/{{item_id}}/{step}/",
        response=RESPONSES,
        operation_id=f"{step}_accreditation",
        summary=summary,
    )(take)


_route(Step.APPLY, "申报示范性学区集团")
_route(Step.RECOMMEND, "区教育局推荐")
_route(Step.ACCREDIT, "市教委认定")
_route(Step.RETURN, "市教委退回")
