"""Each role sees its own organisations (R-F1), and a save that would leave the editor's scope is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, School
from junheng.programmes.models import Pairing
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db


def test_municipal_sees_and_edits_everything_read_only_municipal_only_sees(make_user: Any) -> None:
    editor = make_user(Role.MUNICIPAL, can_edit=True)
    reader = make_user(Role.MUNICIPAL)
    assert School.objects.restrict(editor).count() == School.objects.count()
    assert School.objects.restrict(editor, Action.CHANGE).count() == School.objects.count()
    assert School.objects.restrict(reader).count() == School.objects.count()
    assert School.objects.restrict(reader, Action.CHANGE).count() == 0


def test_district_bureau_sees_its_district_and_pairings_it_takes_part_in(make_user: Any) -> None:
    yangpu = District.objects.get(code="310110")
    user = make_user(Role.DISTRICT_BUREAU, yangpu, can_edit=True)
    assert set(School.objects.restrict(user).values_list("district", flat=True)) == {yangpu.pk}
    pairings = Pairing.objects.restrict(user)
    # 杨浦 supports rows 1–4 of part 一 and supports no school of its own district.
    assert sorted(pairings.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert Pairing.objects.restrict(user, Action.CHANGE).count() == 0  # the supported district edits


def test_supporting_unit_sees_only_its_pairings(make_user: Any) -> None:
    unit = Institution.objects.get(name="上海名师培训中心")
    user = make_user(Role.SUPPORTING_UNIT, unit, can_edit=True)
    assert Pairing.objects.restrict(user).count() == 5
    assert School.objects.restrict(user).count() == 0
    assert list(Institution.objects.restrict(user)) == [unit]


def test_school_sees_itself_its_pairings_and_its_clusters(make_user: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    user = make_user(Role.SCHOOL, school, can_edit=True)
    assert list(School.objects.restrict(user)) == [school]
    assert [p.sequence for p in Pairing.objects.restrict(user)] == [1]
    member = Cluster.objects.filter(is_demo=True).first().memberships.first().school
    member_user = make_user(Role.SCHOOL, member)
    assert Cluster.objects.restrict(member_user).filter(memberships__school=member).exists()


def test_cluster_office_sees_its_cluster_and_members_and_records_only_the_clusters_work(
    make_user: Any,
) -> None:
    cluster = Cluster.objects.filter(is_demo=True).first()
    user = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    members = set(cluster.memberships.values_list("school", flat=True))
    assert set(School.objects.restrict(user).values_list("pk", flat=True)) == members
    assert School.objects.restrict(user, Action.CHANGE).count() == 0
    assert list(Cluster.objects.restrict(user, Action.CHANGE)) == []  # the record is the bureau's
    editing = scope_for(user, Action.CHANGE)
    assert list(Cluster.objects.whose_work(editing, Action.CHANGE)) == [cluster]


def test_teacher_sees_own_record_and_expert_sees_no_registry(make_user: Any) -> None:
    teacher = Teacher.objects.filter(is_demo=True).first()
    user = make_user(Role.TEACHER, teacher.employer)
    teacher.user = user
    teacher.save()
    assert teacher in Teacher.objects.restrict(user)
    expert = make_user(Role.EXPERT)
    assert School.objects.restrict(expert).count() == 0
    assert Pairing.objects.restrict(expert).count() == 0


def test_moving_a_school_out_of_ones_district_is_refused_and_nothing_changes(make_user: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    user = make_user(Role.DISTRICT_BUREAU, school.district, can_edit=True)
    school.district = District.objects.get(code="310101")
    with pytest.raises(PermissionDenied):
        object_save(actor=user, instance=school)
    assert School.objects.get(pk=school.pk).district.code == "310113"

    client = Client()
    client.force_login(user)
    other = District.objects.get(code="310101")
    response = client.post(
        f"/registry/schools/{school.pk}/edit/",
        {"name": "月浦中心校", "district": other.pk, "ownership": "public"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert School.objects.get(pk=school.pk).district.code == "310113"


def test_a_district_bureau_adds_a_pairing_inside_its_district(make_user: Any) -> None:
    baoshan = District.objects.get(code="310113")
    user = make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True)
    supported, supporting = School.objects.filter(district=baoshan, is_demo=True)[:2]
    client = Client()
    client.force_login(user)
    form = {
        "round": Pairing.objects.first().round_id,
        "kind": "mutual_growth",
        "sequence": 501,
        "supported_school": supported.pk,
        "supporting_school": supporting.pk,
        "project_title": "区内携手",
    }
    assert client.post("/programmes/pairings/add/", form).status_code == 302
    pairing = Pairing.objects.get(sequence=501)
    assert pairing.created_by_district == baoshan
    elsewhere = School.objects.filter(district__code="310101", is_demo=True).first()
    client.post("/programmes/pairings/add/", {**form, "sequence": 502, "supported_school": elsewhere.pk})
    assert not Pairing.objects.filter(sequence=502).exists()  # another district's school is not offered
