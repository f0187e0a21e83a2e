"""Monitoring results in (R-E3 data): every row checked, refused whole with errors by row and column, accepted as one
Parquet file per upload; the web upload runs in the background worker with its progress on the upload's page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from junheng.evaluation.models import ScoreUpload, UploadStatus
from junheng.organisations.choices import Role
from junheng.organisations.models import District, School

from ..conftest import PASSWORD

HEADER = "year,student_id,school_code,grade,subject,score,level"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def codes(district_code: str = "310101", count: int = 2) -> list[str]:
    schools = School.objects.filter(district__code=district_code, is_demo=True).order_by("code")
    return list(schools.values_list("code", flat=True)[:count])


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def stored_rows(upload: ScoreUpload, media: Path) -> list[tuple[Any, ...]]:
    return duckdb.sql(
        f"SELECT student_id, school_code, grade, subject, score, level FROM read_parquet('{media / upload.parquet}') "
        "ORDER BY student_id"
    ).fetchall()


@pytest.mark.django_db
def test_a_good_file_is_loaded_as_one_parquet_file(media: Path, tmp_path: Path) -> None:
    a, b = codes()
    path = write_csv(
        tmp_path / "2024.csv",
        [f"2024,s1,{a},4,数学,81.5,良好", f"2024, s2 ,{b},4,数学,59,", f"2024,s1,{a},4,语文,90,A"],
    )
    out = io.StringIO()
    call_command("import_scores", str(path), "--year", "2024", stdout=out)
    assert "已从 2024.csv 载入 2024 年成绩 3 行。" in out.getvalue()
    upload = ScoreUpload.objects.get()
    assert upload.status == UploadStatus.DONE and upload.rows == 3 and upload.progress == 100
    assert stored_rows(upload, media) == [
        ("s1", a, 4, "数学", 81.5, "良好"),
        ("s1", a, 4, "语文", 90.0, "A"),
        ("s2", b, 4, "数学", 59.0, None),
    ]
    assert not list((media / "scores" / "incoming").iterdir())  # the waiting copy is gone


@pytest.mark.django_db
def test_a_file_with_errors_loads_nothing_and_names_row_and_column(media: Path, tmp_path: Path) -> None:
    (a,) = codes(count=1)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            f"2024,s1,{a},4,数学,81,",
            "2024,s2,NO-SUCH,4,数学,70,",  # row 3: unknown school
            f"2024,s3,{a},4,数学,120,",  # row 4: out of range
            f"2024,s1,{a},4,数学,75,",  # row 5: s1's 数学 again
            f"2024,s4,{a},4,数学,75,中等",  # row 6: bad level
            f"2023,s5,{a},11,数学,abc,",  # row 7: other year, grade, not a number
        ],
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", str(path), "--year", "2024")
    message = str(refused.value)
    assert "第3行，“school_code”列：“NO-SUCH”不是您可以载入成绩的学校。" in message
    assert "第4行，“score”列：成绩 120 超出 0–100。" in message
    assert "第5行，“student_id”列：该学生的数学成绩已在第2行。" in message
    assert "第6行，“level”列：“中等”不是以下之一" in message
    assert "第7行，“year”列：年份 2023 与本次上传的年份（2024）不符。" in message
    assert "第7行，“grade”列" in message and "第7行，“score”列：“abc”不是数字。" in message
    upload = ScoreUpload.objects.get()
    assert upload.status == UploadStatus.FAILED and upload.parquet == "" and upload.error_count == 7
    assert not list((media / "scores").rglob("*.parquet"))


@pytest.mark.django_db
def test_a_student_already_loaded_this_year_is_refused(media: Path, tmp_path: Path) -> None:
    (a,) = codes(count=1)
    call_command(
        "import_scores", str(write_csv(tmp_path / "first.csv", [f"2024,s1,{a},4,数学,80,"])), "--year", "2024"
    )
    again = write_csv(tmp_path / "second.csv", [f"2024,s2,{a},4,数学,70,", f"2024,s1,{a},4,数学,81,"])
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", str(again), "--year", "2024")
    assert "第3行，“student_id”列：该学生本年的数学成绩已经载入（first.csv（#" in str(refused.value)
    # another year is another matter
    call_command(
        "import_scores", str(write_csv(tmp_path / "third.csv", [f"2023,s1,{a},3,数学,78,"])), "--year", "2023"
    )
    assert ScoreUpload.objects.accepted().count() == 2


@pytest.mark.django_db
def test_parquet_and_excel_files_are_read_too(media: Path, tmp_path: Path) -> None:
    (a,) = codes(count=1)
    parquet = tmp_path / "scores.parquet"
    duckdb.sql(
        f"COPY (SELECT 2024 AS year, 'p' || i AS student_id, '{a}' AS school_code, 5 AS grade, '英语' AS subject, "
        f"60.0 + i AS score FROM range(3) t(i)) TO '{parquet}' (FORMAT parquet)"
    )
    call_command("import_scores", str(parquet), "--year", "2024")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([2024, "x1", a, 5, "科学", 88, "优秀"])
    workbook.save(tmp_path / "scores.xlsx")
    call_command("import_scores", str(tmp_path / "scores.xlsx"), "--year", "2024")
    uploads = ScoreUpload.objects.accepted(2024).order_by("pk")
    assert [u.rows for u in uploads] == [3, 1]
    assert stored_rows(uploads[1], media) == [("x1", a, 5, "科学", 88.0, "优秀")]


@pytest.mark.django_db(transaction=True)
def test_a_district_uploads_on_the_page_and_the_worker_checks_it(
    media: Path, tmp_path: Path, make_user: Any, client: Any
) -> None:
    district = District.objects.get(code="310101")
    a, b = codes()
    bureau = make_user(Role.DISTRICT_BUREAU, district, can_edit=True)
    client.login(username=bureau.username, password=PASSWORD)
    path = write_csv(tmp_path / "results.csv", [f"2024,s1,{a},4,数学,81,", f"2024,s2,{b},4,数学,71,"])
    with path.open("rb") as handle:
        response = client.post(
            reverse("evaluation:scoreupload_add"), {"year": 2024, "district": district.pk, "file": handle}
        )
    upload = ScoreUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    waiting = client.get(upload.get_absolute_url()).content.decode()
    assert "等待" in waiting and 'http-equiv="refresh"' not in waiting  # no reload of the whole page…
    assert f'hx-get="{upload.get_absolute_url()}" hx-trigger="every 2s"' in waiting  # …its progress is polled
    polled = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert polled.startswith('<section id="upload-progress"') and "<html" not in polled
    assert 'role="progressbar"' in polled and "spinner-border" in polled

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    done = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "已接受" in done and "hx-get" not in done  # the polling stops…
    result = done.split('id="upload-result"')[1]  # …and says where the results now count
    assert 'href="/evaluation/clusters/?year=2024"' in result
    assert 'href="/evaluation/school-results/?year=2024&amp;district=310101"' in result
    upload.refresh_from_db()
    assert upload.rows == 2 and upload.uploaded_by == bureau

    other = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310104"), can_edit=True)
    client.login(username=other.username, password=PASSWORD)
    assert client.get(upload.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_district_may_load_only_its_own_schools(
    media: Path, tmp_path: Path, make_user: Any, client: Any
) -> None:
    district = District.objects.get(code="310101")
    (elsewhere,) = codes("310104", count=1)
    bureau = make_user(Role.DISTRICT_BUREAU, district, can_edit=True)
    client.login(username=bureau.username, password=PASSWORD)
    path = write_csv(tmp_path / "results.csv", [f"2024,s1,{elsewhere},4,数学,81,"])
    with path.open("rb") as handle:
        client.post(
            reverse("evaluation:scoreupload_add"), {"year": 2024, "district": district.pk, "file": handle}
        )
    from junheng.evaluation.services import run_upload

    upload = run_upload(ScoreUpload.objects.get().pk)
    assert upload.status == UploadStatus.FAILED
    assert f"“{elsewhere}”不是您可以载入成绩的学校" in upload.errors[0]
    # a district the bureau does not run is not offered, and a forged post is refused
    with path.open("rb") as handle:
        response = client.post(
            reverse("evaluation:scoreupload_add"),
            {"year": 2024, "district": District.objects.get(code="310104").pk, "file": handle},
        )
    assert response.status_code == 200 and ScoreUpload.objects.count() == 1


@pytest.mark.django_db
def test_a_file_with_chinese_headers_saved_by_chinese_excel_is_read(media: Path, tmp_path: Path) -> None:
    a, b = codes()
    path = tmp_path / "成绩.csv"
    path.write_bytes(
        f"年份,学生编号,学校代码,年级,学科,成绩,等第\r\n2024,s1,{a},4,数学,81.5,良好\r\n2024,s2,{b},4,语文,70,\r\n".encode(
            "gbk"
        )
    )
    call_command("import_scores", str(path), "--year", "2024")
    upload = ScoreUpload.objects.get()
    assert stored_rows(upload, media) == [
        ("s1", a, 4, "数学", 81.5, "良好"),
        ("s2", b, 4, "语文", 70.0, None),
    ]


@pytest.mark.django_db
def test_errors_name_the_files_own_headers_in_row_then_column_order(media: Path, tmp_path: Path) -> None:
    (a,) = codes(count=1)
    path = tmp_path / "bad.csv"
    path.write_text(
        f"学科,成绩,年级,学校代码,学生编号,年份\n数学,abc,11,{a},s1,2023\n数学,120,4,{a},s2,2024\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", str(path), "--year", "2024")
    places = [line.split("：")[0].split("，", 1)[1] for line in str(refused.value).splitlines()]
    assert places == ["第2行，“成绩”列", "第2行，“年级”列", "第2行，“年份”列", "第3行，“成绩”列"]


@pytest.mark.django_db
def test_the_upload_page_offers_a_template_with_the_chinese_headers(make_user: Any, client: Any) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310101"), can_edit=True)
    client.login(username=bureau.username, password=PASSWORD)
    page = client.get(reverse("evaluation:scoreupload_list")).content.decode()
    url = reverse("evaluation:scoreupload_template")
    assert f'href="{url}"' in page and "student_id（学生编号）" in page
    response = client.get(url)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["年份", "学生编号", "学校代码", "年级", "学科", "成绩", "等第"]
    assert "0–100" in sheet["F1"].comment.text and "可留空" in sheet["G1"].comment.text
    assert sheet.max_row == 1  # no example row: the checker reads every row
    nobody = make_user()
    client.login(username=nobody.username, password=PASSWORD)
    assert client.get(url).status_code == 403
