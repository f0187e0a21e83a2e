"""The library's API routes beyond the registry's: rating a resource and downloading a version (counted, through
the scope: a version outside it answers 404 like a missing one)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from junheng.core.scope import MAX_ID, access_object

from .library_services import resource_rate
from .library_views import version_response
from .models import LibraryResource, ResourceVersion

router = Router(tags=["library"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class RatingIn(Schema):
    stars: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")] = ""


class RatingOut(Schema):
    id: int
    resource: int
    stars: int
    comment: str
    answered_in: int | None

    @staticmethod
    def resolve_resource(obj: Any) -> int:
        return int(obj.resource_id)

    @staticmethod
    def resolve_answered_in(obj: Any) -> int | None:
        return obj.answered_in_id  # type: ignore[no-any-return]  # a nullable foreign key's id


class ErrorOut(Schema):
    detail: str


@router.post(
    "/library-resources/{item_id}/rating/",
    response={200: RatingOut, 404: ErrorOut},
    operation_id="rate_library_resource",
    summary="评价资源（每人一次，可修改）",
)
def rate(request: HttpRequest, item_id: Id, payload: RatingIn) -> Any:
    try:
        resource = access_object(LibraryResource, request.user, item_id)
    except Http404:
        return Status(404, {"detail": "Not found"})
    rating = resource_rate(
        actor=request.user, resource=resource, stars=payload.stars, comment=payload.comment
    )
    return Status(200, rating)


@router.get(
    "/resource-versions/{item_id}/download/",
    response={404: ErrorOut},
    operation_id="download_resource_version",
    summary="下载资源版本（计入下载量）",
)
def download(request: HttpRequest, item_id: Id) -> Any:
    try:
        version = access_object(ResourceVersion, request.user, item_id)
        return version_response(request.user, version)
    except Http404:
        return Status(404, {"detail": "Not found"})
