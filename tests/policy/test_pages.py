"""Compliance pages: a district bureau checks its district and reads the board; editions are edited only by the
municipal commission, every edit audited, and can be copied for a new round."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.models import ComplianceRun, Finding, PolicyEdition, Threshold

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_district_bureau_checks_its_district_and_sees_only_its_findings(make_user: Any) -> None:
    baoshan = District.objects.get(code="310113")
    client = client_for(make_user(Role.DISTRICT_BUREAU, baoshan, can_edit=True))
    edition = PolicyEdition.objects.get(code="S1")
    refused = client.post(
        "/policy/runs/", {"edition": edition.pk, "as_of": "2022-07-15", "district": "310101"}
    )
    assert refused.status_code == 200 and ComplianceRun.objects.count() == 0  # not its district
    response = client.post(
        "/policy/runs/", {"edition": edition.pk, "as_of": "2022-07-15", "district": "310113"}
    )
    run = ComplianceRun.objects.get()
    assert response["Location"] == f"/policy/runs/{run.pk}/"
    board = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert "月浦中心校 ← 杨浦小学" in board and "R-B3" in board and "status-fail" in board
    finding = Finding.objects.filter(run=run, rule="R-B3").first()
    detail = client.get(f"/policy/findings/{finding.pk}/").content.decode()
    assert "S1 四.2" in detail and "不少于3名管理人员" in detail
    assert f'href="/policy/runs/{run.pk}/"' in client.get("/policy/runs/").content.decode()


def test_findings_of_other_districts_are_404(make_user: Any, municipal: Any) -> None:
    client_for(municipal).post(
        "/policy/runs/", {"edition": PolicyEdition.objects.get(code="S1").pk, "as_of": "2022-07-15"}
    )
    run = ComplianceRun.objects.get()
    elsewhere = Finding.objects.filter(run=run).exclude(district__code="310113").first()
    client = client_for(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    assert client.get(f"/policy/findings/{elsewhere.pk}/").status_code == 404
    board = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert "月浦中心校" in board and "金泽小学" not in board  # 金泽小学 is in 青浦区


def test_only_the_municipal_commission_edits_thresholds_and_every_edit_is_audited(
    make_user: Any, municipal: Any
) -> None:
    threshold = Threshold.objects.get(edition__code="S1", key="R-B3.resident_staff")
    district = client_for(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True))
    assert district.get(f"/policy/thresholds/{threshold.pk}/").status_code == 200
    assert district.get(f"/policy/thresholds/{threshold.pk}/edit/").status_code == 403
    commission = client_for(municipal)
    form = {
        "edition": threshold.edition_id,
        "key": threshold.key,
        "value": "4",
        "comparator": "gte",
        "unit": "人",
        "source": threshold.source,
        "clause": threshold.clause,
    }
    assert commission.post(f"/policy/thresholds/{threshold.pk}/edit/", form).status_code == 302
    threshold.refresh_from_db()
    assert float(threshold.value) == 4
    history = commission.get(f"/policy/thresholds/{threshold.pk}/history/").content.decode()
    assert "3.0000 → 4.0000" in history


def test_an_edition_is_copied_with_its_thresholds(municipal: Any, make_user: Any) -> None:
    edition = PolicyEdition.objects.get(code="S1")
    client = client_for(municipal)
    response = client.post(
        f"/policy/editions/{edition.pk}/copy/", {"code": "S1-2024", "name": "第三轮（草案）"}
    )
    copy = PolicyEdition.objects.get(code="S1-2024")
    assert response["Location"] == copy.get_absolute_url()
    assert copy.thresholds.count() == edition.thresholds.count()
    assert copy.copied_from == edition and copy.history.get().history_user == municipal
    district = client_for(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True))
    assert (
        district.post(f"/policy/editions/{edition.pk}/copy/", {"code": "X", "name": "X"}).status_code == 403
    )
