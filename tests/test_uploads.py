"""Uploads cannot stop the site: the import page only keeps the file and answers with a job page; the background
worker reads it with bounds (rows, unpacked size, compression, listed errors) and saves every row or none."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from junheng.core.jobs import run_import_job
from junheng.core.models import ImportJob, ImportJobStatus
from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.programmes.imports import IMPORTS
from junheng.programmes.models import ResidentAssignment

pytestmark = pytest.mark.django_db

URL = "/programmes/import/residents/"
HEADER = IMPORTS["residents"].headers  # 受援学校, 结对序号, 姓名, 角色, 学科, 开始日期, 结束日期


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def qingpu(make_user: Any) -> Client:
    """青浦区's bureau, which records for 金泽小学's pairing."""
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True))
    return client


@pytest.fixture(scope="module")
def sheet_of_100000_rows(tmp_path_factory: Any) -> Path:
    """A sheet of 100,000 rows, every one wrong (no such school), written as a stream: ≈1 MB on disk."""
    path = tmp_path_factory.mktemp("hostile") / "100000.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for n in range(100_000):
        sheet.append(["火星小学", None, f"某{n}", "学科教师", "数学", "2021-03-01", None])
    book.save(path)
    return path


def residents_csv(rows: int, last: str | None = None) -> bytes:
    lines = [",".join(HEADER)]
    lines += [f"金泽小学,,教师{n},学科教师,数学,2021-03-01," for n in range(rows)]
    if last is not None:
        lines[-1] = last
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def post(client: Client, name: str, data: bytes) -> tuple[Any, float]:
    started = time.perf_counter()
    response = client.post(URL, {"file": SimpleUploadedFile(name, data)})
    return response, time.perf_counter() - started


def job_of(response: Any) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == f"{URL}?job={job.pk}"
    return job


def test_a_sheet_of_100000_rows_is_answered_at_once_and_refused_at_the_row_limit(
    qingpu: Client, sheet_of_100000_rows: Path, media: Path
) -> None:
    before = ResidentAssignment.objects.count()
    response, seconds = post(qingpu, "residents.xlsx", sheet_of_100000_rows.read_bytes())
    job = job_of(response)
    assert seconds < 3, seconds  # the request only keeps the file
    assert job.status == ImportJobStatus.QUEUED and ResidentAssignment.objects.count() == before
    assert (media / job.incoming).is_file()
    page = qingpu.get(response["Location"]).content.decode()
    assert "等待中" in page and f'hx-get="{URL}?job={job.pk}"' in page and 'hx-trigger="every 2s"' in page

    started = time.perf_counter()
    job = run_import_job(job.pk)
    seconds = time.perf_counter() - started
    assert seconds < 30, seconds  # reading stops at the 50,001st row of data
    assert job.status == ImportJobStatus.FAILED and job.saved == 0
    assert job.errors == [
        "工作表“Sheet”：文件的数据超过 50,000 行（单次导入的上限），请拆分为每个不超过 50,000 行的文件后分别导入。"
    ]
    assert ResidentAssignment.objects.count() == before
    assert not (media / "imports" / "incoming" / f"{job.pk}.xlsx").exists()  # the waiting file is gone
    page = qingpu.get(response["Location"]).content.decode()
    assert "失败" in page and "50,000" in page and "hx-get" not in page  # finished: no more polling


def test_the_import_command_reads_with_the_same_bounds(sheet_of_100000_rows: Path) -> None:
    with pytest.raises(CommandError, match="超过 50,000 行"):
        call_command("import", "residents", str(sheet_of_100000_rows))
    assert not ResidentAssignment.objects.exists()


def test_the_row_limit_is_a_setting(qingpu: Client, settings: Any) -> None:
    settings.JUNHENG_MAX_IMPORT_ROWS = 10
    job = run_import_job(job_of(post(qingpu, "r.csv", residents_csv(11))[0]).pk)
    assert job.status == ImportJobStatus.FAILED and "超过 10 行" in job.errors[0]
    job = run_import_job(job_of(post(qingpu, "r.csv", residents_csv(10))[0]).pk)
    assert job.status == ImportJobStatus.DONE and job.saved == 10


def test_the_worker_writes_in_the_language_of_the_page_that_received_the_file(
    qingpu: Client, settings: Any
) -> None:
    settings.JUNHENG_MAX_IMPORT_ROWS = 10
    # A request in English leaves English active in the test's thread: Chinese is put back after.
    with translation.override("zh-hans"):
        qingpu.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the user's choice
        response = qingpu.post(URL, {"file": SimpleUploadedFile("r.csv", residents_csv(11))})
        job = run_import_job(job_of(response).pk)
        assert job.language == "en" and "more than 10 rows" in job.errors[0]
        # …and reads the sheet's Chinese choices (学科教师) all the same
        response = qingpu.post(URL, {"file": SimpleUploadedFile("r.csv", residents_csv(3))})
        job = run_import_job(job_of(response).pk)
        assert job.status == ImportJobStatus.DONE and job.saved == 3, job.errors


def test_errors_are_listed_up_to_200_and_the_rest_counted(qingpu: Client) -> None:
    data = residents_csv(1000).replace(b"2021-03-01", b"2021-13-01")  # every row's date is wrong
    job = run_import_job(job_of(post(qingpu, "r.csv", data)[0]).pk)
    assert job.status == ImportJobStatus.FAILED and job.error_count == 1000
    assert len(job.errors) == 201
    assert job.errors[0].endswith("第2行，“开始日期”列：“2021-13-01”不是日期（请写作 2024-09-01）。")
    assert job.errors[-1] == "另有 800 处错误未列出。"
    page = qingpu.get(job.get_absolute_url()).content.decode()
    assert "未保存任何数据：共 1000 处错误" in page and "另有 800 处错误未列出" in page
    listed = page.split("未保存任何数据")[1].split("</ul>")[0]
    assert listed.count("<li>") == 201  # the first 200 errors and the count of the rest, not 1000
    assert not ResidentAssignment.objects.exists()


def zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A workbook-shaped zip whose sheet is `unpacked_mb` MB of one repeated byte: it packs ≈1000 times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * 2**20
            for _ in range(unpacked_mb):
                member.write(block)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(qingpu: Client, tmp_path: Path, settings: Any) -> None:
    large = zip_bomb(tmp_path / "large.xlsx", 210)  # beyond 200 MB unpacked
    assert large.stat().st_size < 2**20
    job = job_of(post(qingpu, "large.xlsx", large.read_bytes())[0])
    started = time.perf_counter()
    job = run_import_job(job.pk)
    assert time.perf_counter() - started < 2
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == ["工作表“large.xlsx”：该工作簿解压后超过 200 MB，无法导入。"]

    dense = zip_bomb(tmp_path / "dense.xlsx", 20)  # 20 MB packed a thousand times
    job = run_import_job(job_of(post(qingpu, "dense.xlsx", dense.read_bytes())[0]).pk)
    assert job.status == ImportJobStatus.FAILED
    assert "解压后超过原文件的 100 倍" in job.errors[0]
    assert not ResidentAssignment.objects.exists()


def test_a_valid_sheet_of_20000_rows_is_imported_whole_by_the_worker(
    qingpu: Client, capsys: Any, media: Path
) -> None:
    data = residents_csv(20_000)
    assert len(data) > 10**6  # ≈1.3 MB
    response, seconds = post(qingpu, "residents.csv", data)
    job = job_of(response)
    assert seconds < 3, seconds
    assert not ResidentAssignment.objects.exists()  # nothing before the worker runs

    started = time.perf_counter()
    job = run_import_job(job.pk)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n20,000-row residents import job: {seconds:.1f} s")
    assert job.status == ImportJobStatus.DONE, job.errors
    assert job.saved == 20_000 and job.progress == 100
    assert ResidentAssignment.objects.count() == 20_000
    assert ResidentAssignment.history.filter(history_user=job.created_by).count() == 20_000  # each audited
    assert seconds < 120, seconds
    page = qingpu.get(response["Location"]).content.decode()
    assert "已完成" in page and "已导入 20000 条记录" in page


def test_one_wrong_row_saves_nothing(qingpu: Client) -> None:
    # the last row ends before it starts: found only when the rows are saved, and every saved row is undone
    data = residents_csv(300, last="金泽小学,,末,学科教师,数学,2021-03-01,2020-01-01")
    job = run_import_job(job_of(post(qingpu, "r.csv", data)[0]).pk)
    assert job.status == ImportJobStatus.FAILED and job.error_count == 1
    assert "第301行" in job.errors[0]
    # …and a school the bureau does not record for, among good rows
    data = residents_csv(300, last="月浦中心校,,末,学科教师,数学,2021-03-01,")
    job = run_import_job(job_of(post(qingpu, "r.csv", data)[0]).pk)
    assert job.status == ImportJobStatus.FAILED and "第301行，“受援学校”列" in job.errors[0]
    assert not ResidentAssignment.objects.exists()


def test_a_job_is_seen_only_by_its_starter_and_the_commission(
    qingpu: Client, make_user: Any, municipal: Any
) -> None:
    job = job_of(post(qingpu, "r.csv", residents_csv(2))[0])
    url = job.get_absolute_url()
    other = Client()
    other.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True))
    assert other.get(url).status_code == 404  # the same district, another user
    commission = Client()
    commission.force_login(municipal)
    assert commission.get(url).status_code == 200
    assert qingpu.get(f"/programmes/import/interactions/?job={job.pk}").status_code == 404  # another page's
    assert qingpu.get(f"{URL}?job=x").status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_the_job_page_follows_the_progress_without_inline_scripts(qingpu: Client) -> None:
    job = job_of(post(qingpu, "r.csv", residents_csv(2))[0])
    page = qingpu.get(job.get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # every script is a file
    assert not re.search(r"\son[a-z]+=", page)  # no event handler attributes
    assert "<progress" in page and "aria-valuenow" not in page
    part = qingpu.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert part.startswith('<section id="import-job"') and "等待中" in part and "hx-get" in part
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, progress=40, step="检查第 1 行"
    )
    part = qingpu.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "检查中" in part and 'value="40"' in part and "hx-get" in part
    run_import_job(job.pk)  # already taken by a worker: not run twice
    assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.RUNNING


def test_a_broken_workbook_fails_its_job_with_a_reason(qingpu: Client) -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    job = run_import_job(job_of(post(qingpu, "r.xlsx", broken.getvalue())[0]).pk)
    assert job.status == ImportJobStatus.FAILED and "无法读取该工作簿" in job.errors[0]


def test_the_page_queues_the_job_for_the_worker(
    qingpu: Client, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(post(qingpu, "r.csv", residents_csv(3))[0])
    # The worker closes connections between tasks; inside the test's transaction that would drop it (PostgreSQL).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.saved == 3
    assert ResidentAssignment.objects.count() == 3


def test_the_job_page_shows_progress_and_then_where_the_records_are(qingpu: Client) -> None:
    job = job_of(post(qingpu, "r.csv", residents_csv(3))[0])
    waiting = qingpu.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "spinner-border" in waiting and "<progress" in waiting
    run_import_job(job.pk)
    polled = qingpu.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert polled.startswith('<section id="import-job"') and "hx-get" not in polled
    assert '<a class="ms-2" href="/programmes/residents/" id="import-result">查看导入的记录</a>' in polled
