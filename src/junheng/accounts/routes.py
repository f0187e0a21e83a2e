"""API routes of role administration: the roles a caller administers (and its own), granting, revoking and
deactivating, through the same services as the pages. Mounted by the URL configuration."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from junheng.core.api import ErrorOut, NoNul, Paging, ValidationErrorsOut
from junheng.core.scope import MAX_ID
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership

from .roles import (
    ORGANISATION_FIELDS,
    account_deactivate,
    administered_memberships,
    grant_from,
    membership_revoke,
)

router = Router(tags=["roles"])
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class OrganisationRef(Schema):
    type: Literal["district", "school", "institution", "cluster"]
    id: Id


class OrganisationOut(OrganisationRef):
    name: str


class MembershipOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    organisation: OrganisationOut | None
    can_edit: bool
    is_administrator: bool
    active: bool

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.first_name

    @staticmethod
    def resolve_active(obj: Membership) -> bool:
        return obj.user.is_active

    @staticmethod
    def resolve_organisation(obj: Membership) -> dict[str, Any] | None:
        held = obj.organisation
        if held is None:
            return None
        return {"type": type(held)._meta.model_name, "id": held.pk, "name": str(held)}


class GrantIn(Schema):
    username: Annotated[str, Field(pattern=r"^[\w.@+-]{3,150}$")]
    role: Literal[tuple(Role.values)]  # type: ignore[valid-type]  # the choices, computed once
    organisation: OrganisationRef | None = None
    can_edit: bool = False
    is_administrator: bool = False
    full_name: NoNul = ""
    email: NoNul = ""
    password: NoNul = ""  # for a new account only
    staff_number: NoNul = ""  # links a teacher's account to its record


def _detail(refused: Exception) -> dict[str, Any]:
    return {"detail": "；".join(getattr(refused, "messages", [str(refused)]))}


@router.get("/memberships/", response=list[MembershipOut], operation_id="list_memberships", summary="角色")
@paginate(Paging)
def list_memberships(request: HttpRequest) -> Any:
    administered = administered_memberships(request.user).order_by().values("pk")
    return (
        Membership.objects.filter(Q(user=request.user) | Q(pk__in=administered))
        .select_related("user", *ORGANISATION_FIELDS)
        .order_by("user__username", "role", "pk")
    )


@router.post(
    "/memberships/",
    response={201: MembershipOut, 403: ErrorOut, 422: ValidationErrorsOut},
    operation_id="create_membership",
    summary="授予角色",
)
def create_membership(request: HttpRequest, payload: GrantIn) -> Any:
    data = payload.model_dump()
    held = payload.organisation
    data["organisation"] = f"{held.type}:{held.id}" if held else ""
    try:
        granted = grant_from(request.user, data)
    except PermissionDenied as refused:
        return Status(403, _detail(refused))
    except ValidationError as invalid:
        errors = invalid.message_dict if hasattr(invalid, "error_dict") else {"__all__": invalid.messages}
        return Status(422, {"detail": errors})
    return Status(201, granted)


@router.delete(
    "/memberships/{membership_id}/",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    operation_id="delete_membership",
    summary="撤销角色",
)
def delete_membership(request: HttpRequest, membership_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    membership = administered_memberships(request.user).filter(pk=membership_id).first()
    if membership is None:
        return Status(404, {"detail": "Not found"})
    try:
        membership_revoke(actor=request.user, membership=membership)
    except PermissionDenied as refused:
        return Status(403, _detail(refused))
    except ValidationError as last:
        return Status(409, _detail(last))
    return Status(204, None)


@router.post(
    "/accounts/{user_id}/deactivate/",
    response={200: list[MembershipOut], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    operation_id="deactivate_account",
    summary="停用账号",
)
def deactivate_account(request: HttpRequest, user_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    held = administered_memberships(request.user).filter(user=user_id).first()
    if held is None:
        return Status(404, {"detail": "Not found"})
    try:
        account_deactivate(actor=request.user, user=held.user)
    except PermissionDenied as refused:
        return Status(403, _detail(refused))
    except ValidationError as last:
        return Status(409, _detail(last))
    return Status(
        200, list(Membership.objects.filter(user=user_id).select_related("user", *ORGANISATION_FIELDS))
    )
