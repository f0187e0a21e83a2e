"""The HTTP API under /api/v1/: token or session authentication; for every registered resource, read routes
filtered by the resource's own FilterSet, and write routes validated by the resource's own form — all within the
caller's scope."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator, StringConstraints, create_model

from .choices import Action
from .constraints import OVERLAP
from .models import ApiToken, hash_token
from .resources import REGISTRY, Resource
from .scope import MAX_ID, can
from .security import TOKEN_THROTTLED_MESSAGE, client_address, record_token_failure, token_refused_until
from .services import object_delete

NoNul = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=200)]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Too many wrong tokens from the caller's address: no token is looked at until the pause ends.
        address = client_address(request)
        if token_refused_until(address) is not None:
            raise HttpError(429, TOKEN_THROTTLED_MESSAGE)
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            record_token_failure(address)
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
    def list_items(request: HttpRequest, filters: Query[filters_model]):  # type: ignore[no-untyped-def]  # ninja paginates what it returns
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
    def get_item(request: HttpRequest, item_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
        found = resource.scoped(request.user).filter(pk=item_id).first()
        # Missing and out of scope answer alike.
        return Status(200, found) if found is not None else Status(404, {"detail": "Not found"})


for registered in REGISTRY.values():
    add_resource_routes(registered)


# Writing ---------------------------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text may not hold NUL or unpaired surrogate characters")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
SMALL_INT = 2**31 - 1


def _input_type(form_field: Any) -> Any:
    """The documented type of one form field; the form still validates everything."""
    if isinstance(form_field, forms.ModelChoiceField):
        return Annotated[int, Field(ge=1, le=MAX_ID)]
    if isinstance(form_field, forms.MultipleChoiceField):  # a list of the choices (a rotation's duties)
        options = tuple(str(v) for v, _label in form_field.choices if v != "")  # type: ignore[union-attr,misc]  # likewise
        return list[Literal[options]]  # type: ignore[valid-type]  # the choices, known when the routes are built
    if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField):
        values = tuple(str(v) for v, _label in form_field.choices if v != "")  # type: ignore[union-attr,misc]  # choices of a ChoiceField, typed loosely
        return Literal[values] if values else Text
    if isinstance(form_field, forms.BooleanField):
        return bool
    if isinstance(form_field, forms.DateTimeField):
        return datetime
    if isinstance(form_field, forms.DateField):
        return date
    if isinstance(form_field, forms.DecimalField):
        return Decimal
    if isinstance(form_field, forms.IntegerField):
        return Annotated[int, Field(ge=-SMALL_INT, le=SMALL_INT)]
    return Annotated[Text, Field(max_length=getattr(form_field, "max_length", None) or 10000)]


def writable_fields(resource: Resource) -> dict[str, Any]:
    """The form's fields that the API writes (files are uploaded on the pages)."""
    form = resource.form(user=None)  # type: ignore[misc]  # every resource form takes the user
    return {name: f for name, f in form.fields.items() if not isinstance(f, forms.FileField)}


def input_schema(resource: Resource, partial: bool) -> type[Schema]:
    fields: dict[str, Any] = {}
    for name, form_field in writable_fields(resource).items():
        kind = _input_type(form_field)
        required = form_field.required and not partial
        fields[name] = (kind, ...) if required else (kind | None, None)
    suffix = "Patch" if partial else "In"
    return create_model(f"{resource.model.__name__}{suffix}", __base__=Schema, **fields)


class ValidationErrorsOut(Schema):
    detail: dict[str, list[str]]


class ConflictOut(Schema):
    detail: str
    conflicting: dict[
        str, Any
    ]  # the record holding what was asked for (a booking: id, facility, times, school)


def _conflict(resource: Resource, errors: list[ValidationError]) -> Any:
    """409 naming the record an overlap clashes with, for a resource that names it (bookings); else None."""
    if resource.conflict_schema is None:
        return None
    for error in errors:
        if error.code == OVERLAP and error.params:
            other = resource.model._default_manager.filter(pk=error.params["conflicting"]).first()
            if other is not None:
                conflicting = resource.conflict_schema.from_orm(other).model_dump(mode="json")
                return Status(409, {"detail": error.messages[0], "conflicting": conflicting})
    return None


def _refused_fields(request: HttpRequest, resource: Resource, given: dict[str, Any], instance: Any) -> Any:
    """403 when the payload changes a field decided above the caller (same value as stored is no change)."""
    current = model_to_dict(instance)
    for name, reason in resource.locked_fields(request.user).items():
        if name in given and given[name] != current.get(name):
            return Status(403, {"detail": f"{name}: {reason}"})
    return None


def _current_values(request: HttpRequest, resource: Resource, instance: Any) -> dict[str, Any]:
    """What the record's edit form holds now, fields a form adds for this record (an appraisal's items) too, so
    that a PATCH changes only what it names."""
    form = resource.form_for(request.user, instance=instance)
    return {
        name: form.get_initial_for_field(field, name)
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }


def _save_with_form(request: HttpRequest, resource: Resource, data: dict[str, Any], instance: Any) -> Any:
    form = resource.form_for(request.user, data=data, instance=instance)
    if not form.is_valid():
        return _conflict(resource, form.errors.as_data().get(NON_FIELD_ERRORS, [])) or Status(
            422, {"detail": {k: [str(m) for m in v] for k, v in form.errors.items()}}
        )
    try:
        saved = resource.saved(request.user, form.save(commit=False))
    except ValidationError as invalid:
        refused = (
            invalid.error_dict.get(NON_FIELD_ERRORS, [])
            if hasattr(invalid, "error_dict")
            else invalid.error_list
        )
        return _conflict(resource, refused) or Status(422, {"detail": {"__all__": invalid.messages}})
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    return saved


def add_write_routes(resource: Resource) -> None:
    if resource.form is None:
        return
    create_in: Any = input_schema(resource, partial=False)
    patch_in: Any = input_schema(resource, partial=True)
    item: Any = resource.schema
    label = str(resource.model._meta.verbose_name_plural)

    @api.post(
        f"/{resource.name}/",
        response={201: item, 403: ErrorOut, 409: ConflictOut, 422: ValidationErrorsOut},
        tags=[resource.name],
        operation_id=f"create_{resource.name}",
        summary=label,
    )
    def create_item(request: HttpRequest, payload: create_in):  # type: ignore[no-untyped-def]  # answers a Status or a record
        if not resource.may_add(request.user):
            return Status(403, {"detail": resource.add_refusal()})
        given = payload.model_dump(mode="json", exclude_unset=True)
        refused = _refused_fields(request, resource, given, resource.model())
        if refused is not None:
            return refused
        saved = _save_with_form(request, resource, payload.model_dump(mode="json"), resource.model())
        return (
            saved
            if isinstance(saved, Status)
            else Status(201, resource.scoped(request.user).get(pk=saved.pk))
        )

    @api.patch(
        f"/{resource.name}/{{item_id}}/",
        response={200: item, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationErrorsOut},
        tags=[resource.name],
        operation_id=f"update_{resource.name}",
        summary=label,
    )
    def update_item(request: HttpRequest, item_id: Annotated[int, Path(ge=1, le=MAX_ID)], payload: patch_in):  # type: ignore[no-untyped-def]  # likewise
        instance = resource.scoped(request.user).filter(pk=item_id).first()
        if instance is None:
            return Status(404, {"detail": "Not found"})
        if not can(request.user, Action.CHANGE, instance):
            return Status(403, {"detail": "You may not change this record."})
        given = payload.model_dump(mode="json", exclude_unset=True)
        refused = _refused_fields(request, resource, given, instance)
        if refused is not None:
            return refused
        data = {**_current_values(request, resource, instance), **given}
        saved = _save_with_form(request, resource, data, instance)
        return (
            saved
            if isinstance(saved, Status)
            else Status(200, resource.scoped(request.user).get(pk=saved.pk))
        )

    @api.delete(
        f"/{resource.name}/{{item_id}}/",
        response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
        tags=[resource.name],
        operation_id=f"delete_{resource.name}",
        summary=label,
    )
    def delete_item(request: HttpRequest, item_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
        instance = resource.scoped(request.user).filter(pk=item_id).first()
        if instance is None:
            return Status(404, {"detail": "Not found"})
        if not can(request.user, Action.CHANGE, instance):
            return Status(403, {"detail": "You may not delete this record."})
        try:
            object_delete(actor=request.user, instance=instance)
        except ProtectedError:
            return Status(409, {"detail": "Other records refer to this one."})
        return Status(204, None)


for registered in REGISTRY.values():
    add_write_routes(registered)
