"""Demo accounts: one per role, each in a real or demo organisation, so every view of the platform can be tried."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, Membership, School
from junheng.programmes.models import PlanReview, ReviewVerdict, ThreeYearPlan
from junheng.staffing.models import Teacher

ADMINISTRATORS = (Role.MUNICIPAL, Role.DISTRICT_BUREAU)  # the demo's editors of these roles grant roles


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    can_edit: bool
    organisation: Any  # a District, School, Institution, Cluster or None
    description: str
    teacher: Teacher | None = None  # the teacher record a teacher account reads as its own


def demo_accounts() -> list[DemoAccount]:
    """The accounts and the organisation each belongs to; listed in the README."""
    accounts = [DemoAccount("municipal", Role.MUNICIPAL, True, None, "市教委基教处")]
    accounts += [
        DemoAccount(f"district-{d.code}", Role.DISTRICT_BUREAU, True, d, f"{d.name}教育局")
        for d in District.objects.order_by("code")
    ]
    huangpu = District.objects.get(code="310101")
    accounts.append(
        DemoAccount("district-310101-readonly", Role.DISTRICT_BUREAU, False, huangpu, "黄浦区教育局（只读）")
    )
    cluster = Cluster.objects.filter(is_demo=True).order_by("district__code", "name").first()
    if cluster:
        accounts.append(
            DemoAccount("cluster-office", Role.CLUSTER_OFFICE, True, cluster, f"{cluster.name}管委会")
        )
    school = School.objects.filter(name="月浦中心校").first()
    if school:
        accounts.append(DemoAccount("school", Role.SCHOOL, True, school, school.name))
    unit = Institution.objects.filter(name="上海名师培训中心").first()
    if unit:
        accounts.append(DemoAccount("supporting-unit", Role.SUPPORTING_UNIT, True, unit, unit.name))
    accounts.append(DemoAccount("expert", Role.EXPERT, False, None, "专家"))
    teacher = Teacher.objects.filter(is_demo=True).order_by("staff_number").first()
    if teacher:
        accounts.append(
            DemoAccount(
                "teacher",
                Role.TEACHER,
                False,
                teacher.employer,
                f"{teacher.name}（{teacher.employer}）",
                teacher,
            )
        )
    return accounts


def assign_plans_to_review(expert: Any, count: int = 3) -> None:
    """The demo expert has reviewed a few demo plans (the demo's plans are all approved by its day), so that its
    home shows an expert's work: a plan waiting for review would be listed first, marked 待评审."""
    plans = ThreeYearPlan.objects.filter(pairing__supported_school__is_demo=True).order_by("pk")[:count]
    for plan in plans:
        review = PlanReview(
            plan=plan,
            expert=expert,
            verdict=ReviewVerdict.APPROVE,
            reviewed_on=plan.approved_on or plan.submitted_on,
        )
        object_save(actor=None, instance=review, reason="演示账号", check_scope=False)


def check_demo_password() -> None:
    """JUNHENG_DEMO_PASSWORD, when set, must pass the password validators (AUTH_PASSWORD_VALIDATORS); raises
    ValidationError with the reasons."""
    password = os.environ.get("JUNHENG_DEMO_PASSWORD")
    if password is not None:
        validate_password(password)


@transaction.atomic
def ensure_demo_accounts() -> tuple[list[DemoAccount], str | None]:
    """Creates the accounts that are missing. Returns them and, if a password had to be made up, that password.
    Existing accounts keep their passwords. A password from JUNHENG_DEMO_PASSWORD must pass the validators for
    every account (ValidationError, and no account is made)."""
    password = os.environ.get("JUNHENG_DEMO_PASSWORD")
    generated = None
    users = get_user_model()
    created = []
    for account in demo_accounts():
        if users.objects.filter(username=account.username).exists():
            continue
        if password is None:
            password = generated = secrets.token_urlsafe(9)
        if generated is None:
            validate_password(password, users(username=account.username, first_name=account.description))
        user = users.objects.create_user(username=account.username, password=password)
        user.first_name = account.description
        user.save(update_fields=["first_name"])
        membership = Membership(
            user=user,
            role=account.role,
            can_edit=account.can_edit,
            is_administrator=account.can_edit and account.role in ADMINISTRATORS,
        )
        if account.organisation is not None:
            setattr(membership, type(account.organisation)._meta.model_name, account.organisation)
        object_save(actor=None, instance=membership, reason="演示账号", check_scope=False)
        if account.teacher is not None:
            account.teacher.user = user
            object_save(actor=None, instance=account.teacher, reason="演示账号", check_scope=False)
        if account.role == Role.EXPERT:
            assign_plans_to_review(user)
        created.append(account)
    return created, generated
