"""Role administration (R-F7): who may grant which role where, and the audited writes that grant, revoke and
deactivate.

An administrator (a membership with `is_administrator`) grants roles only inside the organisations it administers
— a district bureau its district and the schools, institutions and clusters in it; any other organisation itself;
the municipal commission everything — and only roles of the same or lesser power than its own. The last
administrator of an organisation cannot be removed, and every grant, revocation and deactivation is recorded with
who, when, before and after.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import Scope, scope_for
from junheng.core.services import object_delete, object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, Membership, School
from junheng.staffing.models import Teacher

# How far a role reaches; an administrator grants roles up to its own.
POWER = {
    Role.MUNICIPAL: 4,
    Role.DISTRICT_BUREAU: 3,
    Role.CLUSTER_OFFICE: 2,
    Role.SCHOOL: 2,
    Role.SUPPORTING_UNIT: 2,
    Role.EXPERT: 1,
    Role.TEACHER: 1,
}
ORGANISATION_FIELDS = ("district", "school", "institution", "cluster")
ORGANISATION_MODELS = {"district": District, "school": School, "institution": Institution, "cluster": Cluster}


def _administers(scope: Scope, organisation: Any) -> bool:
    if scope.everything:
        return True
    if isinstance(organisation, District):
        return organisation.pk in scope.districts
    own: dict[type, frozenset[int]] = {
        School: scope.schools,
        Institution: scope.institutions,
        Cluster: scope.clusters,
    }
    reached = own.get(type(organisation))
    if reached is not None:
        return organisation.pk in reached or organisation.district_id in scope.districts
    return False  # roles held in no organisation (municipal, expert) are the commission's to grant


def power_over(user: Any, organisation: Any) -> int:
    """The power of the user's administrator roles that reach the organisation (0: none reaches it)."""
    if scope_for(user, Action.ADMINISTER).everything:
        return POWER[Role.MUNICIPAL]
    powers = [
        POWER[Role(m.role)]
        for m in Membership.objects.filter(user=user, is_administrator=True).select_related(
            *ORGANISATION_FIELDS
        )
        if _administers(_scope_of(m), organisation)
    ]
    return max(powers, default=0)


def _scope_of(membership: Membership) -> Scope:
    """The reach of one administrator membership, to tell which of a user's roles covers an organisation."""
    ids = {name: frozenset({getattr(membership, f"{name}_id")} - {None}) for name in ORGANISATION_FIELDS}
    return Scope(
        districts=ids["district"],
        schools=ids["school"],
        institutions=ids["institution"],
        clusters=ids["cluster"],
        has_role=True,
    )


def grantable_roles(user: Any) -> list[tuple[str, Any]]:
    """The roles the user may grant somewhere: those up to its most powerful administrator role."""
    if scope_for(user, Action.ADMINISTER).everything:
        highest = POWER[Role.MUNICIPAL]
    else:
        administering = Membership.objects.filter(user=user, is_administrator=True).values_list(
            "role", flat=True
        )
        highest = max((POWER[Role(role)] for role in administering), default=0)
    return [(value, label) for value, label in Role.choices if POWER[Role(value)] <= highest]


def may_grant(user: Any, role: str, organisation: Any) -> bool:
    return POWER[Role(role)] <= power_over(user, organisation)


def is_administrator(user: Any) -> bool:
    return not scope_for(user, Action.ADMINISTER).reaches_nothing


def _refuse_unless_may_grant(actor: Any, role: str, organisation: Any) -> None:
    if not may_grant(actor, role, organisation):
        raise PermissionDenied(
            _("You may grant roles only in organisations you administer, and none above your own.")
        )


def _other_administrators(membership: Membership) -> Any:
    same = {f"{name}_id": getattr(membership, f"{name}_id") for name in ORGANISATION_FIELDS}
    return (
        Membership.objects.filter(role=membership.role, is_administrator=True, user__is_active=True, **same)
        .exclude(pk=membership.pk)
        .exclude(user=membership.user_id)
    )


def _keep_one_administrator(membership: Membership) -> None:
    if membership.is_administrator and not _other_administrators(membership).exists():
        raise ValidationError(
            _("%(organisation)s would have no administrator left: grant another administrator first.")
            % {"organisation": membership.organisation or _("The municipal commission")}
        )


@transaction.atomic
def account_create(*, actor: Any, username: str, full_name: str, email: str, password: str) -> Any:
    """A new login; its password must pass the platform's password rules. Without a role it reaches nothing."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Only administrators create accounts."))
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ValidationError({"username": _("An account with this username exists already.")})
    account = users(username=username, first_name=full_name, email=email)
    validate_password(password, account)
    account.set_password(password)
    return object_save(actor=actor, instance=account, reason=_("Account created"), check_scope=False)


@transaction.atomic
def membership_grant(
    *,
    actor: Any,
    user: Any,
    role: str,
    organisation: Any,
    can_edit: bool,
    is_administrator: bool = False,
    teacher: Any = None,
) -> Membership:
    """Grants one role in one organisation; a teacher's role links the account to the teacher's record."""
    _refuse_unless_may_grant(actor, role, organisation)
    membership = Membership(
        user=user, role=role, can_edit=can_edit or is_administrator, is_administrator=is_administrator
    )
    if organisation is not None:
        setattr(membership, type(organisation)._meta.model_name, organisation)
    if Membership.objects.filter(
        user=user, role=role, **{f"{n}_id": getattr(membership, f"{n}_id") for n in ORGANISATION_FIELDS}
    ).exists():
        raise ValidationError(_("This account holds this role in this organisation already."))
    granted = object_save(actor=actor, instance=membership, reason=_("Role granted"), check_scope=False)
    if teacher is not None:
        if role != Role.TEACHER or teacher.employer_id != getattr(organisation, "pk", None):
            raise ValidationError({"staff_number": _("The teacher is not employed by this school.")})
        teacher.user = user
        object_save(actor=actor, instance=teacher, reason=_("Role granted"), check_scope=False)
    return granted


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    _refuse_unless_may_grant(actor, membership.role, membership.organisation)
    _keep_one_administrator(membership)
    object_delete(actor=actor, instance=membership, reason=_("Role revoked"))


@transaction.atomic
def account_deactivate(*, actor: Any, user: Any) -> Any:
    """Stops an account logging in; only an administrator of every organisation the account holds a role in may,
    and never the last administrator of one."""
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."))
    held = list(Membership.objects.filter(user=user).select_related(*ORGANISATION_FIELDS))
    if not held and not is_administrator(actor):
        raise PermissionDenied(_("Only administrators deactivate accounts."))
    for membership in held:
        _refuse_unless_may_grant(actor, membership.role, membership.organisation)
        _keep_one_administrator(membership)
    user.is_active = False
    return object_save(actor=actor, instance=user, reason=_("Account deactivated"), check_scope=False)


def parse_organisation(value: str) -> Any:
    """An organisation written as "school:12" (what the grant form and the API send); None for "" (no
    organisation: the municipal commission's and experts' roles)."""
    if not value:
        return None
    kind, _sep, pk = value.partition(":")
    model = ORGANISATION_MODELS.get(kind)
    if model is None or not pk.isdigit():
        raise ValidationError({"organisation": _("Choose an organisation from the list.")})
    found = model.objects.filter(pk=int(pk)).first()  # type: ignore[attr-defined]  # one of the four organisation models
    if found is None:
        raise ValidationError({"organisation": _("Choose an organisation from the list.")})
    return found


def organisation_key(organisation: Any) -> str:
    return f"{type(organisation)._meta.model_name}:{organisation.pk}" if organisation is not None else ""


def grantable_organisations(user: Any) -> list[tuple[str, str]]:
    """(key, label) of every organisation the user administers, districts first."""
    scope = scope_for(user, Action.ADMINISTER)
    found: list[Any] = []
    if scope.everything:
        found += District.objects.all()
    else:
        found += District.objects.filter(pk__in=scope.districts)
    for model in (School, Institution, Cluster):
        rows = model.objects.select_related("district")
        if not scope.everything:
            own = {School: scope.schools, Institution: scope.institutions, Cluster: scope.clusters}[model]
            rows = rows.filter(pk__in=own) | rows.filter(district__in=scope.districts)
        found += rows.order_by("district__code", "name")
    label = {
        District: _("district"),
        School: _("school"),
        Institution: _("institution"),
        Cluster: _("cluster"),
    }
    return [(organisation_key(o), f"{label[type(o)]} · {o}") for o in found]


def administered_memberships(user: Any) -> Any:
    return (
        Membership.objects.restrict(user, Action.ADMINISTER)
        .select_related("user", *ORGANISATION_FIELDS)
        .order_by("user__username", "role")
    )


def grant_from(actor: Any, data: dict[str, Any]) -> Membership:
    """Grants what the form or the API asked for, creating the account when it does not exist yet; all or nothing."""
    with transaction.atomic():
        users = get_user_model()
        user = users.objects.filter(username=data["username"]).first()
        if user is None:
            if not data.get("password"):
                raise ValidationError({"password": _("A new account needs an initial password.")})
            user = account_create(
                actor=actor,
                username=data["username"],
                full_name=data.get("full_name") or "",
                email=data.get("email") or "",
                password=data["password"],
            )
        organisation = parse_organisation(data.get("organisation") or "")
        teacher = None
        if data.get("staff_number"):
            teacher = Teacher.objects.filter(staff_number=data["staff_number"]).first()
            if teacher is None:
                raise ValidationError({"staff_number": _("No teacher has this staff number.")})
        return membership_grant(
            actor=actor,
            user=user,
            role=data["role"],
            organisation=organisation,
            can_edit=bool(data.get("can_edit")),
            is_administrator=bool(data.get("is_administrator")),
            teacher=teacher,
        )
