"""The HTTP API under /api/v1/: token or session authentication, and read routes for every registered resource,
filtered by the resource's own FilterSet and restricted to the caller's scope."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, django_auth
from pydantic import StringConstraints, create_model

from .models import ApiToken, hash_token
from .resources import REGISTRY, Resource

MAX_ID = 2**53  # ids beyond this exist nowhere; refusing them keeps every database's integer types happy
NoNul = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user  # so that everything downstream, filters included, sees the caller
        return found.user


class ErrorOut(Schema):
    detail: str


class Paging(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_ID)


api = NinjaAPI(
    title="均衡 junheng API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url=None,
)


def filter_schema(resource: Resource) -> type[Schema]:
    """The resource's FilterSet fields as documented query parameters."""
    fields: dict[str, Any] = {name: (NoNul | None, None) for name in resource.filterset.base_filters}
    return create_model(f"{resource.model.__name__}Filters", __base__=Schema, **fields)


def add_resource_routes(resource: Resource) -> None:
    filters_model: Any = filter_schema(resource)
    item_schema: Any = resource.schema
    label = str(resource.model._meta.verbose_name_plural)

    @api.get(
        f"/{resource.name}/",
        response=list[item_schema],
        tags=[resource.name],
        operation_id=f"list_{resource.name}",
        summary=f"{label}",
    )
    @paginate(Paging)
    def list_items(request: HttpRequest, filters: Query[filters_model]):  # type: ignore[no-untyped-def,valid-type]
        queryset = resource.scoped(request.user)
        filterset = resource.filterset(filters.dict(exclude_none=True), queryset=queryset, request=request)
        if not filterset.is_valid():
            raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
        return filterset.qs

    @api.get(
        f"/{resource.name}/{{item_id}}/",
        response={200: resource.schema, 404: ErrorOut},
        tags=[resource.name],
        operation_id=f"get_{resource.name}",
        summary=f"{label}",
    )
    def get_item(request: HttpRequest, item_id: Annotated[int, Path(ge=1, le=MAX_ID)]):  # type: ignore[no-untyped-def]
        found = resource.scoped(request.user).filter(pk=item_id).first()
        # Missing and out of scope answer alike.
        return Status(200, found) if found is not None else Status(404, {"detail": "Not found"})


for registered in REGISTRY.values():
    add_resource_routes(registered)
