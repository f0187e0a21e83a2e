"""The accreditation workflow: 申报 by the cluster's office → 推荐 by its district bureau → 认定 or 退回 by the
municipal commission. For every step, one role that may take it and the roles that may not (403, saying who
does), a step out of order (409), the audit of each step, the database's own check on the order, and the
dossier as a page, Word and PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import ModelStatus, Role
from junheng.organisations.models import Cluster, District
from junheng.policy.accreditation.models import Accreditation, AccreditationStep
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition


@pytest.fixture
def cluster(db: Any) -> Cluster:
    found = (
        Cluster.objects.filter(is_demo=True, district__code="310101", accreditations__isnull=True)
        .order_by("name")
        .first()
    )
    Cluster.objects.filter(pk=found.pk).update(
        model_status=ModelStatus.CREATING, creating_since=date(2024, 3, 1)
    )
    found.refresh_from_db()
    return found


@pytest.fixture
def people(cluster: Cluster, make_user: Any, municipal: Any) -> dict[str, Any]:
    other_cluster = Cluster.objects.filter(district__code="310105").first()
    return {
        "office": make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True),
        "other_office": make_user(Role.CLUSTER_OFFICE, other_cluster, can_edit=True),
        "bureau": make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True),
        "other_bureau": make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310105"), can_edit=True),
        "readonly_bureau": make_user(Role.DISTRICT_BUREAU, cluster.district),
        "municipal": municipal,
        "school": make_user(Role.SCHOOL, cluster.lead_school, can_edit=True),
    }


def api(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step(user: Any, application: Accreditation, name: str, comment: str = "") -> Any:
    return api(user).post(
        f"/api/v1/accreditations/{application.pk}/{name}/",
        {"comment": comment},
        content_type="application/json",
    )


def draft(cluster: Cluster, office: Any) -> Accreditation:
    created = api(office).post(
        "/api/v1/accreditations/",
        {"cluster": cluster.pk, "statement": "三年创建成效"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    return Accreditation.objects.get(pk=created.json()["id"])


def test_the_whole_way_through_the_api(cluster: Cluster, people: dict[str, Any]) -> None:
    application = draft(cluster, people["office"])
    assert application.status == "draft"

    # 申报: the office only; the bureau, the commission and a school are told who applies
    for who in ("bureau", "municipal", "school", "readonly_bureau"):
        refused = step(people[who], application, "apply")
        assert refused.status_code in (403, 404), who
    assert step(people["other_office"], application, "apply").status_code == 404  # not its cluster: unseen
    assert step(people["bureau"], application, "apply").json()["detail"]  # says who applies
    assert step(people["office"], application, "recommend").status_code == 403
    applied = step(people["office"], application, "apply", "请审核")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert step(people["office"], application, "apply").status_code == 409  # not twice

    # 推荐: the cluster's bureau only; the commission cannot skip to accredit
    assert step(people["other_bureau"], application, "recommend").status_code == 404
    assert step(people["office"], application, "recommend").status_code == 403
    assert step(people["municipal"], application, "recommend").status_code == 403
    assert step(people["municipal"], application, "accredit").status_code == 409  # a skipped step
    assert step(people["bureau"], application, "recommend", "同意推荐").status_code == 200

    # 认定: the commission only
    assert step(people["bureau"], application, "accredit").status_code == 403
    assert step(people["office"], application, "accredit").status_code == 403
    accredited = step(people["municipal"], application, "accredit", "认定")
    assert accredited.status_code == 200 and accredited.json()["status"] == "accredited"
    cluster.refresh_from_db()
    assert cluster.model_status == ModelStatus.ACCREDITED
    assert step(people["municipal"], application, "return", "再议").status_code == 409

    taken = list(AccreditationStep.objects.filter(accreditation=application).order_by("pk"))
    assert [(s.step, s.actor, s.comment) for s in taken] == [
        ("apply", people["office"], "请审核"),
        ("recommend", people["bureau"], "同意推荐"),
        ("accredit", people["municipal"], "认定"),
    ]
    assert all(s.taken_at for s in taken)


def test_a_return_says_why_and_the_office_applies_again(cluster: Cluster, people: dict[str, Any]) -> None:
    application = draft(cluster, people["office"])
    step(people["office"], application, "apply")
    step(people["bureau"], application, "recommend")
    assert step(people["municipal"], application, "return").status_code == 422  # no reason
    assert step(people["municipal"], application, "return", "材料不全").status_code == 200
    cluster.refresh_from_db()
    assert cluster.model_status == ModelStatus.CREATING
    assert step(people["bureau"], application, "recommend").status_code == 409
    again = step(people["office"], application, "apply", "已补充")
    assert again.status_code == 200 and again.json()["recommended_on"] is None


def test_only_a_cluster_creating_model_status_applies(cluster: Cluster, people: dict[str, Any]) -> None:
    application = draft(cluster, people["office"])
    Cluster.objects.filter(pk=cluster.pk).update(model_status=ModelStatus.NONE)
    assert step(people["office"], application, "apply").status_code == 409


def test_the_commission_cannot_set_accredited_by_editing_the_cluster(
    cluster: Cluster, people: dict[str, Any]
) -> None:
    patched = api(people["municipal"]).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"model_status": "accredited"}, content_type="application/json"
    )
    assert patched.status_code == 422
    cluster.refresh_from_db()
    assert cluster.model_status == ModelStatus.CREATING


def test_the_database_refuses_a_status_without_its_steps(cluster: Cluster, people: dict[str, Any]) -> None:
    application = draft(cluster, people["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Accreditation.objects.filter(pk=application.pk).update(
            status="accredited", decided_on=date(2025, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationStep.objects.create(
            accreditation=application,
            step="accredit",
            from_status="draft",
            to_status="accredited",
            actor=people["municipal"],
        )


def test_the_pages_take_the_same_steps(cluster: Cluster, people: dict[str, Any]) -> None:
    application = draft(cluster, people["office"])
    url = application.get_absolute_url()
    office_page = page(people["office"]).get(url).content.decode()
    assert 'data-step="apply"' in office_page
    assert 'data-step="apply"' not in page(people["bureau"]).get(url).content.decode()
    page(people["bureau"]).post(f"/policy/accreditations/{application.pk}/step/apply/")
    application.refresh_from_db()
    assert application.status == "draft"  # refused: the bureau does not apply
    page(people["office"]).post(f"/policy/accreditations/{application.pk}/step/apply/", {"comment": "申报"})
    application.refresh_from_db()
    assert application.status == "applied"
    page(people["bureau"]).post(f"/policy/accreditations/{application.pk}/step/recommend/")
    page(people["municipal"]).post(f"/policy/accreditations/{application.pk}/step/accredit/")
    application.refresh_from_db()
    assert application.status == "accredited"
    history = page(people["office"]).get(url).content.decode()
    assert "申报" in history


def test_the_dossier_gathers_findings_figures_and_documents(cluster: Cluster, people: dict[str, Any]) -> None:
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S2"), as_of=date(2025, 6, 30))
    application = draft(cluster, people["office"])
    step(people["office"], application, "apply")
    shown = page(people["office"]).get(f"/policy/accreditations/{application.pk}/dossier/")
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "R-A6" in text and "R-A4" in text and cluster.name in text
    for format, start in (("docx", b"PK"), ("pdf", b"%PDF")):
        printed = page(people["bureau"]).get(f"/policy/accreditations/{application.pk}/dossier.{format}")
        assert printed.status_code == 200 and printed.content.startswith(start)
    assert (
        page(people["other_office"]).get(f"/policy/accreditations/{application.pk}/dossier/").status_code
        == 404
    )
