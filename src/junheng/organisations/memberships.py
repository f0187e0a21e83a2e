"""Turns a user's memberships into the Scope that every restricted queryset reads.

Only organisation roles reach organisations. A teacher is a person, not a member of its school: its membership
names the school that manages the account, and reaches nothing but the teacher's own record (through the user).
An expert reaches only what is assigned to it, likewise through the user."""

from typing import Any

from junheng.core.choices import Action
from junheng.core.scope import Scope

from .choices import Role
from .models import Membership

PERSONAL_ROLES = {Role.TEACHER, Role.EXPERT}  # roles of a person, reaching records through the user alone


def scope_of_memberships(user: Any, action: str) -> Scope:
    memberships = Membership.objects.filter(user=user).select_related("school", "institution", "cluster")
    if action == Action.ADMINISTER:
        memberships = memberships.filter(is_administrator=True)
    elif action != Action.VIEW:
        memberships = memberships.filter(can_edit=True)
    districts: set[int] = set()
    clusters: set[int] = set()
    schools: set[int] = set()
    institutions: set[int] = set()
    home: set[int | None] = set()
    for membership in memberships:
        if membership.role == Role.MUNICIPAL:
            return Scope(everything=True, user_id=user.pk, has_role=True)
        if membership.role in PERSONAL_ROLES:
            continue
        if membership.district_id:
            districts.add(membership.district_id)
            home.add(membership.district_id)
        if membership.cluster_id:
            clusters.add(membership.cluster_id)
            home.add(membership.cluster.district_id)
        if membership.school_id:
            schools.add(membership.school_id)
            home.add(membership.school.district_id)
        if membership.institution_id:
            institutions.add(membership.institution_id)
            home.add(membership.institution.district_id)
    return Scope(
        districts=frozenset(districts),
        clusters=frozenset(clusters),
        schools=frozenset(schools),
        institutions=frozenset(institutions),
        home_districts=frozenset(d for d in home if d is not None),
        user_id=user.pk,
        has_role=bool(memberships),
    )
