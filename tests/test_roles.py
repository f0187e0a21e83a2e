"""Role administration (R-F7): an administrator grants roles only inside what it administers and only of the same
or lesser power; the last administrator of an organisation stays; every grant, revocation and deactivation is
audited; every user sees its own roles. Pages and API alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import Role
from junheng.organisations.models import District, Membership, School

pytestmark = pytest.mark.django_db
STRONG = "Yuepu-2026-keys"


@pytest.fixture
def baoshan() -> District:
    return District.objects.get(code="310113")


@pytest.fixture
def bureau_admin(make_user: Any, baoshan: District) -> Any:
    user = make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True)
    Membership.objects.filter(user=user).update(is_administrator=True)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def key(organisation: Any) -> str:
    return f"{type(organisation)._meta.model_name}:{organisation.pk}"


def test_a_district_administrator_makes_a_school_editor_who_sees_only_its_school(bureau_admin: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    page = client_for(bureau_admin)
    form = page.get("/accounts/roles/grant/").content.decode()
    assert key(school) in form and 'value="municipal"' not in form  # no role above its own is offered
    response = page.post(
        "/accounts/roles/grant/",
        {
            "username": "yuepu-editor",
            "full_name": "月浦教务",
            "password": STRONG,
            "role": Role.SCHOOL,
            "organisation": key(school),
            "can_edit": "on",
        },
    )
    assert response.status_code == 302
    editor = get_user_model().objects.get(username="yuepu-editor")
    membership = Membership.objects.get(user=editor)
    assert (membership.role, membership.school, membership.can_edit) == (Role.SCHOOL, school, True)
    grant = membership.history.get()
    assert grant.history_user == bureau_admin and grant.history_change_reason == "授予角色"
    assert "yuepu-editor" in page.get("/accounts/roles/").content.decode()

    own = Client()
    assert own.post("/login/", {"username": "yuepu-editor", "password": STRONG}).status_code == 302
    assert list(School.objects.restrict(editor)) == [school]
    mine = own.get("/accounts/roles/").content.decode()
    assert "月浦中心校" in mine and "授予角色" not in mine  # its own roles, and no administration


def test_no_role_above_ones_own_and_nothing_outside_ones_district(bureau_admin: Any) -> None:
    page = client_for(bureau_admin)
    elsewhere = School.objects.filter(district__code="310101").first()
    attempts = [
        {"role": Role.MUNICIPAL, "organisation": ""},
        {"role": Role.SCHOOL, "organisation": key(elsewhere)},
        {"role": Role.DISTRICT_BUREAU, "organisation": key(District.objects.get(code="310101"))},
        {"role": Role.EXPERT, "organisation": ""},
    ]
    for attempt in attempts:
        page.post("/accounts/roles/grant/", {"username": "climber", "password": STRONG, **attempt})
        api_for(bureau_admin).post(
            "/api/v1/memberships/",
            {"username": "climber", "password": STRONG, "role": attempt["role"]},
            content_type="application/json",
        )
    assert not Membership.objects.filter(user__username="climber").exists()
    refused = api_for(bureau_admin).post(
        "/api/v1/memberships/",
        {"username": "climber", "password": STRONG, "role": "municipal"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "只能" in refused.json()["detail"]
    assert not get_user_model().objects.filter(username="climber").exists()  # nothing half-saved


def test_an_editor_who_is_no_administrator_grants_nothing(make_user: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    editor = make_user(Role.SCHOOL, school, can_edit=True)
    assert client_for(editor).get("/accounts/roles/grant/").status_code == 403
    answer = api_for(editor).post(
        "/api/v1/memberships/",
        {
            "username": "friend",
            "password": STRONG,
            "role": "school",
            "organisation": {"type": "school", "id": school.pk},
        },
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_a_weak_password_is_refused_with_the_reason(bureau_admin: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    answer = api_for(bureau_admin).post(
        "/api/v1/memberships/",
        {
            "username": "weak",
            "password": "12345678",
            "role": "school",
            "organisation": {"type": "school", "id": school.pk},
        },
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert not get_user_model().objects.filter(username="weak").exists()


def test_the_last_administrator_of_an_organisation_cannot_be_removed(
    bureau_admin: Any, make_user: Any
) -> None:
    own = Membership.objects.get(user=bureau_admin)
    api = api_for(bureau_admin)
    assert api.delete(f"/api/v1/memberships/{own.pk}/").status_code == 409
    response = client_for(bureau_admin).post(f"/accounts/roles/{own.pk}/revoke/", follow=True)
    assert "管理员" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()

    second = make_user(Role.DISTRICT_BUREAU, own.district, can_edit=True)
    Membership.objects.filter(user=second).update(is_administrator=True)
    assert api.delete(f"/api/v1/memberships/{own.pk}/").status_code == 204
    assert not Membership.objects.filter(pk=own.pk).exists()
    revoked = Membership.history.filter(id=own.pk, history_type="-").get()
    assert revoked.history_user == bureau_admin


def test_deactivating_an_account_stops_its_login_and_is_audited(bureau_admin: Any, make_user: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    member = make_user(Role.SCHOOL, school, can_edit=True)
    client_for(bureau_admin).post(f"/accounts/{member.pk}/deactivate/")
    member.refresh_from_db()
    assert not member.is_active
    change = member.history.order_by("-history_date").first()
    assert change.history_user == bureau_admin and change.history_change_reason == "停用账号"
    assert (
        Client().post("/login/", {"username": member.username, "password": "test-password-1"}).status_code
        == 200
    )

    # An account that also holds a role elsewhere is not this bureau's to deactivate.
    wider = make_user(Role.SCHOOL, school)
    Membership.objects.create(
        user=wider, role=Role.SCHOOL, school=School.objects.filter(district__code="310101").first()
    )
    answer = api_for(bureau_admin).post(f"/api/v1/accounts/{wider.pk}/deactivate/")
    assert answer.status_code == 403
    wider.refresh_from_db()
    assert wider.is_active


def test_memberships_in_the_api_are_what_the_caller_administers_and_its_own(
    bureau_admin: Any, make_user: Any
) -> None:
    inside = make_user(Role.SCHOOL, School.objects.get(name="月浦中心校"))
    outside = make_user(Role.SCHOOL, School.objects.filter(district__code="310101").first())
    listed = {m["username"] for m in api_for(bureau_admin).get("/api/v1/memberships/").json()["items"]}
    assert {bureau_admin.username, inside.username} <= listed and outside.username not in listed
    assert [m["username"] for m in api_for(outside).get("/api/v1/memberships/").json()["items"]] == [
        outside.username
    ]
    created = api_for(bureau_admin).post(
        "/api/v1/memberships/",
        {
            "username": inside.username,
            "role": "supporting_unit",
            "organisation": {"type": "school", "id": inside.memberships.get().school_id},
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["role"] == "supporting_unit" and body["organisation"]["name"] == "月浦中心校"
