"""Evidence files are checked for type and size; a refused file saves nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.core.services import object_save
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


def office_file(folder: str | None, content_types: bool = True) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        if folder:
            archive.writestr(f"{folder}/document.xml", "<document/>")
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("minutes.pdf", b"<html><script>alert(1)</script></html>", False),  # a page named .pdf
        ("minutes.pdf", b"%PDF-1.7 minutes", True),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, True),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, False),  # a PNG named .jpg
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, True),
        ("plan.docx", office_file("word"), True),
        ("plan.docx", office_file("xl"), False),  # a workbook named .docx
        ("plan.docx", office_file("word", content_types=False), False),  # any zip
        ("plan.docx", b"PK\x03\x04 not really a zip", False),
        ("sheet.xlsx", office_file("xl"), True),
        ("slides.pptx", office_file("ppt"), True),
        ("slides.pptx", b"%PDF-1.7", False),
    ],
)
def test_evidence_content_must_match_its_extension(
    make_user: Any, tmp_path: Any, settings: Any, name: str, content: bytes, accepted: bool
) -> None:
    settings.MEDIA_ROOT = tmp_path
    pairing = Pairing.objects.get(kind="mutual_growth", sequence=20)  # 沈巷中学, 青浦区
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district, can_edit=True))
    form = {"pairing": pairing.pk, "date": "2021-01-15", "kind": "on_site", "participants": 3}
    response = client.post(
        "/programmes/interactions/add/", {**form, "evidence": SimpleUploadedFile(name, content)}
    )
    if accepted:
        assert response.status_code == 302
        interaction = Interaction.objects.get()
        with interaction.evidence.open("rb") as stored:
            assert stored.read() == content  # read from the start, whatever the check read
    else:
        suffix = name[name.rindex(".") :]
        assert f"文件内容与扩展名 {suffix} 不符" in response.content.decode()
        assert not Interaction.objects.exists()


def test_a_stored_file_is_not_read_again_when_its_record_changes(
    make_user: Any, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    pairing = Pairing.objects.get(kind="mutual_growth", sequence=20)
    user = make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district, can_edit=True)
    client = Client()
    client.force_login(user)
    form = {"pairing": pairing.pk, "date": "2021-01-15", "kind": "on_site", "participants": 3}
    client.post(
        "/programmes/interactions/add/",
        {**form, "evidence": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
    )
    interaction = Interaction.objects.get()
    interaction.evidence.storage.delete(interaction.evidence.name)  # even a file gone from the disk
    interaction.summary = "补记"
    object_save(actor=user, instance=interaction)
    assert Interaction.objects.get().summary == "补记"
