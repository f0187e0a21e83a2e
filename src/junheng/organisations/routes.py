"""API routes of a membership change's decision: `/api/v1/membership-changes/{id}/approve/` and `/refuse/`.
403 for who may not decide, 409 for a change already decided, 404 for one out of scope."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from junheng.core.api import ErrorOut
from junheng.core.resources import REGISTRY
from junheng.core.scope import MAX_ID, access_object

from .models import MembershipChange
from .services import StepConflict, membership_change_decide

router = Router(tags=["membership changes"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
ChangeOut = REGISTRY["membership-changes"].schema


class DecisionIn(Schema):
    note: Annotated[str, Field(max_length=500, pattern=r"^[^\x00]*$")] = ""


def _decide(request: HttpRequest, item_id: int, approve: bool, note: str) -> Any:
    try:
        change = access_object(MembershipChange, request.user, item_id)
    except Http404:
        return Status(404, {"detail": "Not found"})
    try:
        decided = membership_change_decide(
            actor=request.user, change=change, approve=approve, note=note.strip()
        )
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    except StepConflict as conflict:
        return Status(409, {"detail": "；".join(conflict.messages)})
    except ValidationError as invalid:
        return Status(422, {"detail": "；".join(invalid.messages)})
    return Status(200, decided)


RESPONSES = {200: ChangeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/membership-changes/{item_id}/approve/", response=RESPONSES, operation_id="approve_membership_change"
)
def approve(request: HttpRequest, item_id: Id, payload: DecisionIn) -> Any:
    return _decide(request, item_id, True, payload.note)


@router.post(
    "/membership-changes/{item_id}/refuse/", response=RESPONSES, operation_id="refuse_membership_change"
)
def refuse(request: HttpRequest, item_id: Id, payload: DecisionIn) -> Any:
    return _decide(request, item_id, False, payload.note)
