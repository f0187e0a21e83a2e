"""Every change records who, when, before and after (R-F3); deleted records come back only by an administrator."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District, Institution

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_update_delete_and_restore_are_recorded_with_who_and_what(make_user: Any) -> None:
    district = District.objects.get(code="310104")
    editor = make_user(Role.DISTRICT_BUREAU, district, can_edit=True)
    client = logged_in(editor)

    response = client.post(
        "/registry/institutions/add/",
        {"name": "徐汇区教育学会", "district": district.pk, "kind": "education_society"},
    )
    institution = Institution.objects.get(name="徐汇区教育学会")
    assert response.status_code == 302
    client.post(
        f"/registry/institutions/{institution.pk}/edit/",
        {"name": "徐汇区教育学会（新）", "district": district.pk, "kind": "other"},
    )
    page = client.get(f"/registry/institutions/{institution.pk}/history/").content.decode()
    history = page.split('id="history"')[1]
    assert history.count(editor.username) == 2
    assert "徐汇区教育学会 → 徐汇区教育学会（新）" in history
    assert "教育学会 → 其他" in history  # choices shown as the reader knows them

    assert client.post(f"/registry/institutions/{institution.pk}/delete/").status_code == 302
    assert not Institution.objects.filter(pk=institution.pk).exists()
    record = Institution.history.filter(id=institution.pk, history_type="-").get()
    assert record.history_user == editor

    # The district editor is not an administrator: no recycle bin, no restore.
    assert client.get("/audit/recycle-bin/").status_code == 404
    restore = f"/audit/recycle-bin/institutions/{record.history_id}/restore/"
    assert client.post(restore).status_code == 404
    assert not Institution.objects.filter(pk=institution.pk).exists()

    admin = logged_in(make_user(Role.MUNICIPAL, can_edit=True))
    assert "徐汇区教育学会（新）" in admin.get("/audit/recycle-bin/").content.decode()
    assert admin.post(restore).status_code == 302
    restored = Institution.objects.get(pk=institution.pk)
    assert (restored.name, restored.kind) == ("徐汇区教育学会（新）", "other")
    assert [
        r.history_type for r in Institution.history.filter(id=institution.pk).order_by("history_date")
    ] == ["+", "~", "-", "+"]
    still_deleted = admin.get("/audit/recycle-bin/").content.decode().split("回收站</h1>")[1]
    assert "徐汇区教育学会（新）" not in still_deleted


def test_a_protected_record_is_not_deleted(make_user: Any) -> None:
    unit = Institution.objects.get(name="上海名师培训中心")
    client = logged_in(make_user(Role.MUNICIPAL, can_edit=True))
    response = client.post(f"/registry/institutions/{unit.pk}/delete/", follow=True)
    assert "仍有其他记录引用" in response.content.decode()
    assert Institution.objects.filter(pk=unit.pk).exists()


def test_bad_input_changes_nothing_and_says_why_in_chinese(make_user: Any) -> None:
    district = District.objects.get(code="310104")
    client = logged_in(make_user(Role.DISTRICT_BUREAU, district, can_edit=True))
    before = Institution.history.count()
    response = client.post(
        "/registry/institutions/add/", {"name": "", "district": district.pk, "kind": "nonsense"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in page and "选择一个有效的选项" in page
    assert Institution.history.count() == before


# Records that keep no history of their own, and why; every other model of the platform must have one.
WITHOUT_HISTORY = {
    "core.SecurityEvent": "the security log itself: append-only, each row is the record of an event",
    "core.ImportJob": "a job's progress; every record it saves is audited with the uploader's name",
    "policy.ComplianceRun": "derived from the records, never edited; it keeps who started it and when",
    "policy.Finding": "a run's output, never edited",
    "evaluation.SchoolResult": "computed by `evaluate` from the accepted uploads, replaced whole",
    "evaluation.DistrictResult": "computed by `evaluate` from the accepted uploads, replaced whole",
    "evaluation.ClusterResult": "computed by `evaluate` from the accepted uploads, replaced whole",
    "evaluation.SurveyResponse": "an anonymous answer, never edited",
    "sharing.ResourceUsage": "counters of views and downloads, incremented in place, never edited",
    "policy.AccreditationStep": "the audit of the accreditation workflow itself: one row per step, never edited",
}


def test_every_model_keeps_its_history_unless_it_says_why_not() -> None:
    from django.apps import apps

    lacking = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("junheng")
        and not model.__name__.startswith("Historical")
        and not hasattr(model, "history")
    }
    assert lacking == set(WITHOUT_HISTORY)
