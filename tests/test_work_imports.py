"""Bulk data in (resident staff, interactions, review events): templates with Chinese headers, .xlsx and .csv,
errors named by row and column, all or nothing, and only pairings the user records for."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from junheng.core.jobs import run_import_job
from junheng.core.models import ImportJob
from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.programmes.imports import IMPORTS
from junheng.programmes.models import Interaction, ResidentAssignment, ReviewEvent

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_on_page(client: Client, url: str, name: str, data: bytes) -> str:
    """Uploads a file on an import page, runs the job the page queued as the worker would, and returns the job's
    page (where the page sends the browser) once the job is done."""
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, response.content.decode()
        job = ImportJob.objects.latest("pk")
        assert response["Location"] == job.get_absolute_url() == f"{url}?job={job.pk}"
        run_import_job(job.pk)
        return client.get(response["Location"]).content.decode()


def test_templates_carry_the_chinese_headers(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    call_command("import", "interactions", str(out), "--template")
    header = next(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert list(header) == ["受援学校", "结对序号", "日期", "形式", "活动", "参与人数", "学科", "内容摘要"]


def test_interactions_import_from_csv_and_a_bad_row_saves_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "受援学校,结对序号,日期,形式,参与人数,学科,内容摘要\n"
        "沈巷中学,,2021-01-15,现场,6,语文,同课异构\n"
        "金泽小学,,2021/02/03,online,4,数学,\n",
        encoding="utf-8-sig",
    )
    call_command(
        "import", "interactions", str(good)
    )  # made before 活动 existed: the optional column is left out
    assert sorted(Interaction.objects.values_list("kind", "activity")) == [
        ("on_site", "other"),
        ("online", "other"),
    ]
    with_activity = tmp_path / "with-activity.csv"
    with_activity.write_text(
        "受援学校,日期,形式,活动\n金泽小学,2021-03-03,线上,集体备课\n", encoding="utf-8-sig"
    )
    call_command("import", "interactions", str(with_activity))
    assert Interaction.objects.filter(activity="lesson_preparation", kind="online").count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "受援学校,结对序号,日期,形式,参与人数,学科,内容摘要\n"
        "沈巷中学,,2021-03-15,现场,6,语文,\n"
        "沈巷中学,,2021-13-40,现场,六,语文,\n"
        "火星小学,,2021-03-15,旁听,1,,\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "interactions", str(bad))
    message = str(failed.value)
    assert "第3行，“日期”列：“2021-13-40”不是日期" in message
    assert "第3行，“参与人数”列：“六”不是整数" in message
    assert "第4行，“形式”列：“旁听”不是以下之一：现场、线上" in message
    assert Interaction.objects.count() == 3  # the good first row of the bad file was not saved


def test_the_upload_page_imports_only_for_pairings_the_user_records_for(make_user: Any) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = Client()
    client.force_login(qingpu)
    page = client.get("/programmes/interactions/").content.decode()
    assert 'href="/programmes/import/interactions/"' in page
    rows = [
        IMPORTS["residents"].headers,
        ["金泽小学", None, "甲", "管理人员", "", "2021-03-01", None],
        ["月浦中心校", None, "乙", "学科教师", "数学", "2021-03-01", None],
    ]  # 月浦中心校 is 宝山's
    text = import_on_page(client, "/programmes/import/residents/", "residents.xlsx", workbook(rows))
    assert "第3行，“受援学校”列" in text and not ResidentAssignment.objects.exists()
    text = import_on_page(client, "/programmes/import/residents/", "residents.xlsx", workbook(rows[:2]))
    assert "已导入 1 条记录" in text
    resident = ResidentAssignment.objects.get()
    assert resident.history.get().history_user == qingpu


def test_review_events_need_a_round_and_a_district_they_may_write(make_user: Any) -> None:
    baoshan = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True)
    client = Client()
    client.force_login(baoshan)
    rows = [
        IMPORTS["review-events"].headers,
        ["宝山区", "半年总结活动", "2021-06-20", "宝山区上半年总结"],
        ["", "现场会", "2021-11-05", "市级现场会"],
    ]
    text = import_on_page(client, "/programmes/import/review-events/", "events.xlsx", workbook(rows))
    assert "第3行：该记录不在您可编辑的单位范围内" in text  # a city-level event is the commission's
    assert not ReviewEvent.objects.exists()
    import_on_page(client, "/programmes/import/review-events/", "events.xlsx", workbook(rows[:2]))
    assert ReviewEvent.objects.get().district.code == "310113"


def test_wrong_files_are_refused_with_a_reason(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True))
    text = import_on_page(client, "/programmes/import/interactions/", "x.xlsx", workbook([["姓名"]]))
    assert "表头缺少以下列" in text
    # a file of the wrong type or size is refused at once, without a job
    text = client.post(
        "/programmes/import/interactions/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")}
    ).content.decode()
    assert "只接受" in text
    text = client.post(
        "/programmes/import/interactions/", {"file": SimpleUploadedFile("x.xlsx", b"<html>")}
    ).content.decode()
    assert "不是 Excel 工作簿" in text
    assert not ImportJob.objects.filter(name="x.pdf").exists()
    assert Client().get("/programmes/import/interactions/").status_code == 302  # login first


def test_csv_saved_by_chinese_excel_in_gbk_is_read_and_other_encodings_are_refused(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("受援学校,日期,形式,内容摘要\r\n沈巷中学,2021-01-15,现场,同课异构\r\n".encode("gbk"))
    call_command("import", "interactions", str(gbk))
    assert list(Interaction.objects.values_list("summary", "kind")) == [("同课异构", "on_site")]
    utf16 = tmp_path / "unicode.csv"  # what Excel calls “Unicode text”
    utf16.write_bytes("受援学校,日期,形式\r\n沈巷中学,2021-01-16,现场\r\n".encode("utf-16"))
    with pytest.raises(CommandError) as failed:
        call_command("import", "interactions", str(utf16))
    assert "既不是 UTF-8 也不是 GBK/GB18030 编码" in str(failed.value)
    assert Interaction.objects.count() == 1


def test_errors_are_listed_by_row_then_by_the_sheets_column_order(tmp_path: Path) -> None:
    unreadable = tmp_path / "unreadable.csv"  # cells the check cannot read
    unreadable.write_text(
        "开始日期,角色,受援学校,姓名\n2021-03-01,管理人员,金泽小学,甲\n,校长,金泽小学,乙\n2021-13-01,校长,金泽小学,丙\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "residents", str(unreadable))
    lines = [line.split("：")[0].split("，", 1)[1] for line in str(failed.value).splitlines()[1:]]
    assert lines == ["第3行，“开始日期”列", "第3行，“角色”列", "第4行，“开始日期”列", "第4行，“角色”列"]
    invalid = tmp_path / "invalid.csv"  # readable cells the records refuse (too long), on saving
    invalid.write_text(
        f"学科,姓名,受援学校,角色,开始日期\n数学,甲,金泽小学,管理人员,2021-03-01\n{'数' * 31},{'乙' * 51},金泽小学,管理人员,2021-03-01\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "residents", str(invalid))
    lines = [line.split("：")[0].split("，", 1)[1] for line in str(failed.value).splitlines()[1:]]
    assert lines == ["第3行，“学科”列", "第3行，“姓名”列"]
    assert not ResidentAssignment.objects.exists()
