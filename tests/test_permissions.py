"""The permission matrix (R-F1): every registered model × every way of reaching it × anonymous, no role,
read-only, editor and another district. Out of scope answers exactly like missing: 404."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.core.models import ApiToken
from junheng.core.resources import REGISTRY
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, School
from junheng.policy.models import PolicyEdition, Threshold
from junheng.programmes.models import Pairing

# Policy is read by every role and changed only by the municipal commission.
MUNICIPAL_ONLY = {"editions", "thresholds"}


def sample(resource_name: str) -> tuple[Any, District]:
    """An object of the resource and the district whose bureau is responsible for it."""
    if resource_name == "districts":
        district = District.objects.get(code="310113")
        return district, district
    if resource_name == "schools":
        school = School.objects.get(name="月浦中心校")
        return school, school.district
    if resource_name == "institutions":
        institution = Institution.objects.get(name="上海名师培训中心")
        return institution, institution.district
    if resource_name == "clusters":
        cluster = Cluster.objects.filter(district__code="310113").first()
        return cluster, cluster.district
    if resource_name == "pairings":
        pairing = Pairing.objects.get(kind="entrusted", sequence=1)
        return pairing, pairing.supported_school.district
    if resource_name == "editions":
        return PolicyEdition.objects.get(code="S1"), District.objects.get(code="310113")
    if resource_name == "thresholds":
        return Threshold.objects.get(edition__code="S1", key="R-B3.resident_staff"), District.objects.get(
            code="310113"
        )
    raise AssertionError(f"add {resource_name} to the permission matrix")


OTHER_DISTRICT = "310105"  # 长宁: no part in any sample above

# who → (sees it, may edit it); the district bureau does not edit the district record itself.
EXPECTED = {
    "anonymous": (False, False),
    "no_role": (False, False),
    "read_only": (True, False),
    "editor": (True, True),
    "other_district": (False, False),
}


def user_for(who: str, district: District, make_user: Any) -> Any:
    if who == "anonymous":
        return None
    if who == "no_role":
        return make_user()
    if who == "other_district":
        return make_user(Role.DISTRICT_BUREAU, District.objects.get(code=OTHER_DISTRICT), can_edit=True)
    return make_user(Role.DISTRICT_BUREAU, district, can_edit=(who == "editor"))


def test_every_registered_resource_is_in_the_matrix(db: Any) -> None:
    for name in REGISTRY:
        assert sample(name)[0] is not None


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize(
    "resource_name",
    ["districts", "schools", "institutions", "clusters", "pairings", "editions", "thresholds"],
)
def test_permission_matrix(resource_name: str, who: str, make_user: Any) -> None:
    resource = REGISTRY[resource_name]
    obj, district = sample(resource_name)
    user = user_for(who, district, make_user)
    sees, edits = EXPECTED[who]
    if resource_name == "districts" and who == "editor":
        edits = False  # only the municipal commission edits districts
    if resource_name in MUNICIPAL_ONLY:
        sees, edits = who in ("read_only", "editor", "other_district"), False
    app = resource.model._meta.app_label
    client = Client()
    if user is not None:
        client.force_login(user)

    prefix = {"organisations": "registry", "programmes": "programmes", "policy": "policy"}[app]
    pages = {"list": f"/{prefix}/{resource_name}/"}
    detail = obj.get_absolute_url()
    if user is None:
        assert client.get(pages["list"]).status_code == 302  # to the login page
        assert client.get(detail).status_code == 302
        assert Client().get(f"/api/v1/{resource_name}/").status_code == 401
        return

    searchable = resource_name in (
        "districts",
        "schools",
        "institutions",
        "clusters",
    )  # long lists: narrow them
    listing = client.get(pages["list"], {"q": str(obj)[:4]} if searchable else {})
    assert listing.status_code == 200
    assert (f'href="{detail}"' in listing.content.decode()) == sees

    assert client.get(detail).status_code == (200 if sees else 404)
    assert client.get(f"{detail}history/").status_code == (200 if sees else 404)
    edit_status = client.get(f"{detail}edit/").status_code
    assert edit_status == (200 if edits else 403 if sees else 404)
    assert client.get(f"{detail}delete/").status_code == (200 if edits else 403 if sees else 404)
    if not edits:
        assert client.post(f"{detail}delete/").status_code == (403 if sees else 404)
        assert resource.model._default_manager.filter(pk=obj.pk).exists()

    export = client.get(pages["list"], {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    exported = {str(value) for row in sheet.iter_rows(min_row=2, values_only=True) for value in row}
    name = {
        "pairings": lambda: obj.supported_school.name,
        "editions": lambda: obj.code,
        "thresholds": lambda: obj.key,
    }.get(resource_name, lambda: str(obj))()
    assert (name in exported) == sees

    token = ApiToken.objects.issue(user)
    api = Client(headers={"authorization": f"Bearer {token}"})
    ids = {item["id"] for item in api.get(f"/api/v1/{resource_name}/", {"limit": 1000}).json()["items"]}
    assert (obj.pk in ids) == sees
    assert api.get(f"/api/v1/{resource_name}/{obj.pk}/").status_code == (200 if sees else 404)
    assert api.get(f"/api/v1/{resource_name}/{10**9}/").status_code == 404
