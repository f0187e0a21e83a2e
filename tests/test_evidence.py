"""Evidence files are checked for type and size; a refused file saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.programmes.models import Interaction, Pairing

pytestmark = pytest.mark.django_db


def test_evidence_type_and_size_are_checked(make_user: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.JUNHENG_MAX_UPLOAD_BYTES = 1024
    pairing = Pairing.objects.get(kind="mutual_growth", sequence=20)  # 沈巷中学, 青浦区
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district, can_edit=True))
    form = {"pairing": pairing.pk, "date": "2021-01-15", "kind": "on_site", "participants": 3}
    refused = client.post(
        "/programmes/interactions/add/", {**form, "evidence": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert "文件扩展“exe”" in refused.content.decode() and not Interaction.objects.exists()
    too_big = SimpleUploadedFile("minutes.pdf", b"%PDF" + b"0" * 2000)
    assert (
        "文件超过"
        in client.post("/programmes/interactions/add/", {**form, "evidence": too_big}).content.decode()
    )
    assert not Interaction.objects.exists()
    saved = client.post(
        "/programmes/interactions/add/",
        {**form, "evidence": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
    )
    assert saved.status_code == 302
    assert Interaction.objects.get().evidence.name.endswith(".pdf")


def test_evidence_is_downloaded_only_within_scope(make_user: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    pairing = Pairing.objects.get(kind="mutual_growth", sequence=20)  # 沈巷中学, 青浦区
    district = pairing.supported_school.district
    editor = Client()
    editor.force_login(make_user(Role.DISTRICT_BUREAU, district, can_edit=True))
    editor.post(
        "/programmes/interactions/add/",
        {
            "pairing": pairing.pk,
            "date": "2021-01-15",
            "kind": "on_site",
            "participants": 3,
            "evidence": SimpleUploadedFile("教研记录.pdf", b"%PDF-1.4 minutes"),
        },
    )
    interaction = Interaction.objects.get()
    url = f"/programmes/interactions/{interaction.pk}/file/evidence/"
    assert url in editor.get(f"/programmes/interactions/{interaction.pk}/").content.decode()

    download = editor.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    assert "attachment" in download["Content-Disposition"]

    other = Client()
    parties = {district.pk, pairing.supporting_institution.district_id}  # 青浦区 and 黄浦区
    other.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.exclude(pk__in=parties).first()))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert editor.get(f"/programmes/interactions/{interaction.pk}/file/summary/").status_code == 404
