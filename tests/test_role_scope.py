"""Scope at the level of roles (R-F1, R-F7): a teacher is a person, not a member of its school; a finding, run or
reminder is seen exactly by whoever may see its subject; starting a run is a write; a cluster's model status is
decided above its own office."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from junheng.core.models import ApiToken
from junheng.evaluation.models import ClusterResult, SchoolResult
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, School
from junheng.policy.engine import compliance_run
from junheng.policy.models import ComplianceRun, Finding, PolicyEdition
from junheng.policy.reminders import reminders_for
from junheng.programmes.models import Interaction, Pairing
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db
AS_OF = date(2022, 7, 15)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def city_run() -> ComplianceRun:
    run, _findings = compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=AS_OF)
    return run


def pairing_ids_of_findings(user: Any, run: ComplianceRun) -> set[int]:
    findings = Finding.objects.restrict(user).filter(run=run)
    assert set(findings.values_list("subject_type", flat=True)) <= {"pairing"}
    return set(findings.values_list("subject_id", flat=True))


# 1. A teacher reads its own record and nothing of its school --------------------------------------------------


def test_a_teacher_sees_its_own_record_and_nothing_of_its_school(make_user: Any) -> None:
    yuepu = School.objects.get(name="月浦中心校")
    teacher = Teacher.objects.create(
        name="月浦教师", staff_number="T-YP-1", employer=yuepu, employed_since=date(2015, 9, 1)
    )
    colleague = Teacher.objects.create(
        name="同校教师", staff_number="T-YP-2", employer=yuepu, employed_since=date(2016, 9, 1)
    )
    user = make_user(Role.TEACHER, yuepu)
    teacher.user = user
    teacher.save()
    SchoolResult.objects.create(year=2024, school=yuepu, subject="数学", students=80, mean=75, pass_share=0.9)
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)  # 月浦中心校's pairing
    Interaction.objects.create(pairing=pairing, date=date(2021, 3, 5), kind="on_site", subjects="数学")
    city_run()

    assert list(Teacher.objects.restrict(user)) == [teacher]
    assert colleague not in Teacher.objects.restrict(user)
    for model in (School, Pairing, Interaction, SchoolResult, Finding, District, Cluster):
        assert model.objects.restrict(user).count() == 0, model
    client = client_for(user)
    assert client.get(pairing.get_absolute_url()).status_code == 404
    assert client.get(yuepu.get_absolute_url()).status_code == 404
    assert "月浦中心校 ← " not in client.get("/programmes/pairings/").content.decode()
    assert api_for(user).get("/api/v1/interactions/").json()["items"] == []
    assert reminders_for(user) == []


# 2. Findings, runs and reminders follow their subject --------------------------------------------------------


def test_a_supporting_unit_sees_the_findings_of_exactly_its_own_pairings(make_user: Any) -> None:
    unit = Institution.objects.get(name="上海名师培训中心")  # in 黄浦区, supports five pairings elsewhere
    user = make_user(Role.SUPPORTING_UNIT, unit, can_edit=True)
    run = city_run()
    own = set(Pairing.objects.filter(supporting_institution=unit).values_list("pk", flat=True))
    assert len(own) == 5
    assert pairing_ids_of_findings(user, run) == own
    assert not Finding.objects.restrict(user).filter(subject_type="district").exists()
    named = {r.finding.subject_id for r in reminders_for(user)}
    assert named <= own


def test_a_school_sees_its_own_pairings_findings_and_reminders_only(make_user: Any) -> None:
    school = School.objects.get(name="月浦中心校")
    user = make_user(Role.SCHOOL, school, can_edit=True)
    run = city_run()
    own = {Pairing.objects.get(kind="entrusted", sequence=1).pk}
    assert pairing_ids_of_findings(user, run) == own
    assert {r.finding.subject_id for r in reminders_for(user)} <= own
    board = client_for(user).get(f"/policy/runs/{run.pk}/").content.decode()
    assert "月浦中心校" in board and "金泽小学" not in board


def test_a_cluster_office_sees_its_clusters_findings_and_no_pairings(make_user: Any) -> None:
    cluster = Cluster.objects.filter(is_demo=True, district__code="310101").order_by("name").first()
    user = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    for year, district in ((2024, cluster), (2024, Cluster.objects.exclude(pk=cluster.pk).first())):
        ClusterResult.objects.create(
            year=year,
            cluster=district,
            stage="primary",
            subject="数学",
            schools=4,
            students=400,
            pass_share=0.9,
            meets_model_standard=False,
        )
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S2"), as_of=date(2025, 6, 30))
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=AS_OF)
    visible = Finding.objects.restrict(user)
    assert visible.exists()
    assert set(visible.values_list("subject_type", "subject_id")) == {("cluster", cluster.pk)}


def test_a_district_bureau_sees_the_pairings_it_supports_in_other_districts(make_user: Any) -> None:
    yangpu = District.objects.get(code="310110")  # supports rows 1–4 of part 一, none of them in 杨浦
    user = make_user(Role.DISTRICT_BUREAU, yangpu, can_edit=True)
    run = city_run()
    supported = set(Pairing.objects.restrict(user).values_list("pk", flat=True))
    pairing_findings = Finding.objects.restrict(user).filter(run=run, subject_type="pairing")
    assert set(pairing_findings.values_list("subject_id", flat=True)) == supported
    baoshan = District.objects.get(code="310113")
    for bureau in (user, make_user(Role.DISTRICT_BUREAU, baoshan)):
        own = set(bureau.memberships.values_list("district", flat=True))
        districts = Finding.objects.restrict(bureau).filter(run=run, subject_type="district")
        assert set(districts.values_list("subject_id", flat=True)) <= own
    assert Finding.objects.restrict(bureau).filter(run=run, subject_type="district").exists()


def test_a_districts_own_run_reaches_the_supporting_side_of_its_pairings(make_user: Any) -> None:
    baoshan = District.objects.get(code="310113")
    run, _findings = compliance_run(
        actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=AS_OF, district=baoshan
    )
    supporting = Pairing.objects.get(kind="entrusted", sequence=1).supporting_school  # 杨浦小学
    user = make_user(Role.SCHOOL, supporting)
    assert run in ComplianceRun.objects.restrict(user)
    assert Finding.objects.restrict(user).filter(run=run).exists()
    stranger = make_user(Role.SCHOOL, School.objects.get(name="金泽小学"))
    assert run not in ComplianceRun.objects.restrict(stranger)
    assert client_for(stranger).get(f"/policy/runs/{run.pk}/").status_code == 404


# 3. Starting a run is a write -------------------------------------------------------------------------------


def test_a_read_only_bureau_cannot_start_a_run_on_the_page_the_api_or_the_command(make_user: Any) -> None:
    huangpu = District.objects.get(code="310101")
    reader = make_user(Role.DISTRICT_BUREAU, huangpu)
    edition = PolicyEdition.objects.get(code="S1")
    client = client_for(reader)
    assert "立即检查" not in client.get("/policy/runs/").content.decode()
    posted = client.post(
        "/policy/runs/", {"edition": edition.pk, "as_of": "2022-07-15", "district": "310101"}
    )
    assert posted.status_code == 403
    answer = api_for(reader).post(
        "/api/v1/runs/",
        {"edition": "S1", "as_of": "2022-07-15", "district": "310101"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    with pytest.raises(CommandError):
        call_command(
            "compliance",
            "--edition",
            "S1",
            "--district",
            "310101",
            "--user",
            reader.username,
            "-o",
            "/dev/null",
        )
    assert ComplianceRun.objects.count() == 0


def test_runs_through_the_api_are_scoped_and_answer_201(make_user: Any) -> None:
    baoshan = District.objects.get(code="310113")
    editor = make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True)
    api = api_for(editor)
    body = {"edition": "S1", "as_of": "2022-07-15", "district": "310113"}
    created = api.post("/api/v1/runs/", body, content_type="application/json")
    assert created.status_code == 201
    run = created.json()
    assert run["edition"] == "S1" and run["as_of"] == "2022-07-15" and run["district"] == "310113"
    assert run["counts"]["fail"] > 0
    city = api.post(
        "/api/v1/runs/", {"edition": "S1", "as_of": "2022-07-15"}, content_type="application/json"
    )
    assert city.status_code == 403  # the whole city is the commission's to check
    other = api.post("/api/v1/runs/", {**body, "district": "310101"}, content_type="application/json")
    assert other.status_code == 403
    unknown = api.post("/api/v1/runs/", {**body, "edition": "S9"}, content_type="application/json")
    assert unknown.status_code == 422
    assert [r["id"] for r in api.get("/api/v1/runs/").json()["items"]] == [run["id"]]

    findings = api.get("/api/v1/findings/", {"run": run["id"], "rule": "R-B3", "limit": 1000}).json()["items"]
    assert findings and {f["subject"]["type"] for f in findings} == {"pairing"}
    first = findings[0]
    assert {"rule", "status", "subject", "measured", "clause"} <= set(first)
    assert first["clause"] == "S1 四.2" and set(first["subject"]) == {"type", "id", "name"}
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)
    one = api.get("/api/v1/findings/", {"pairing": pairing.pk, "limit": 1000}).json()["items"]
    assert one and {f["subject"]["id"] for f in one} == {pairing.pk}
    assert api.get("/api/v1/findings/", {"status": "nonsense"}).status_code == 422
    stranger = api_for(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310105")))
    assert stranger.get(f"/api/v1/runs/{run['id']}/").status_code == 404
    assert stranger.get("/api/v1/findings/", {"run": run["id"]}).json()["items"] == []


# 4. A cluster's model status is decided above its office -------------------------------------------------------


def test_a_cluster_office_cannot_accredit_its_own_cluster(make_user: Any, municipal: Any) -> None:
    """The office reads its cluster's record (the bureau edits it); model status is decided above both, and
    accredited only through an application (tests/policy/test_accreditation.py)."""
    cluster = Cluster.objects.filter(is_demo=True).order_by("pk").first()
    office = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    before = cluster.model_status
    refused = api_for(office).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"model_status": "accredited"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert client_for(office).get(f"/registry/clusters/{cluster.pk}/edit/").status_code == 403

    bureau = make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True)
    locked = api_for(bureau).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"model_status": "accredited"}, content_type="application/json"
    )
    assert locked.status_code == 403 and "市教委" in locked.json()["detail"]
    unchanged = api_for(bureau).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"close_knit": True}, content_type="application/json"
    )
    assert unchanged.status_code == 200
    form = client_for(bureau).get(f"/registry/clusters/{cluster.pk}/edit/").content.decode()
    assert "只有市教委可以修改" in form
    cluster.refresh_from_db()
    assert cluster.model_status == before and cluster.close_knit

    # The commission sets a cluster creating model status, but accredits only through an application.
    creating = api_for(municipal).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"model_status": "creating"}, content_type="application/json"
    )
    assert creating.status_code == 200 and json.loads(creating.content)["model_status"] == "creating"
    skipped = api_for(municipal).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"model_status": "accredited"}, content_type="application/json"
    )
    assert skipped.status_code == 422
    cluster.refresh_from_db()
    assert cluster.model_status == "creating" and cluster.creating_since is not None
