"""A district's schools and clusters as data it loads: created or updated by name within the district, a second run
changing nothing, memberships kept as history, errors by row and column, and only into the user's own district."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, District, School

from .test_import_templates import client_of, download
from .test_work_imports import import_on_page, workbook

pytestmark = pytest.mark.django_db

SCHOOL_HEADER = "学校名称,区,学段,办别,经度,纬度,新开办,乡村\n"
CLUSTER_HEADER = "学区/集团名称,类型,区,牵头校,成员校,层级,加入日期,退出日期,紧密型,示范创建状态\n"


def run(tmp_path: Path, kind: str, text: str, *args: str, encoding: str = "utf-8-sig") -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode(encoding))
    call_command("import", kind, str(path), *args)


def failure(tmp_path: Path, kind: str, text: str, *args: str) -> str:
    with pytest.raises(CommandError) as failed:
        run(tmp_path, kind, text, *args)
    return str(failed.value)


def history_rows() -> int:
    return sum(m.history.count() for m in (School, Cluster, ClusterMembership))


@pytest.fixture
def schools(tmp_path: Path) -> None:
    """Three schools of 青浦, written with the district's short name, its code and its full name."""
    run(
        tmp_path,
        "schools",
        SCHOOL_HEADER
        + "湖畔实验小学,青浦,小学,公办,121.05,31.11,否,否\n"
        + "湖畔第二小学,310118,小学,公办,,,是,是\n"
        + "湖畔中学,青浦区,初中,民办,,,否,是\n",
    )


def test_schools_are_created_then_updated_by_name_within_the_district(tmp_path: Path, schools: None) -> None:
    first = School.objects.get(name="湖畔实验小学")
    assert first.district.code == "310118" and first.stage == "primary" and first.ownership == "public"
    assert (first.longitude, first.latitude) == (Decimal("121.05"), Decimal("31.11")) and not first.is_rural
    second = School.objects.get(name="湖畔第二小学")
    assert second.is_new and second.is_rural and second.longitude is None
    assert School.objects.get(name="湖畔中学").ownership == "private"
    run(tmp_path, "schools", SCHOOL_HEADER + "湖畔实验小学,青浦区,九年一贯制,,,,,是\n")
    first.refresh_from_db()
    assert first.stage == "nine_year" and first.is_rural  # changed
    assert first.ownership == "public" and first.latitude == Decimal("31.11")  # left empty: kept
    assert School.objects.filter(name="湖畔实验小学").count() == 1
    assert first.history.count() == 2


def test_a_second_run_of_the_same_file_changes_nothing(tmp_path: Path, schools: None) -> None:
    sheet = (
        CLUSTER_HEADER
        + "湖畔教育集团,集团,青浦区,湖畔实验小学,湖畔实验小学,优质校,2023-09-01,,是,无\n"
        + "湖畔教育集团,集团,青浦区,湖畔实验小学,湖畔第二小学,相对薄弱校,2023-09-01,,是,无\n"
    )
    run(tmp_path, "clusters", sheet)
    before = history_rows()
    run(
        tmp_path,
        "schools",
        SCHOOL_HEADER
        + "湖畔实验小学,青浦,小学,公办,121.05,31.11,否,否\n"
        + "湖畔第二小学,310118,小学,公办,,,是,是\n",
    )
    run(tmp_path, "clusters", sheet)
    assert history_rows() == before
    assert ClusterMembership.objects.filter(cluster__name="湖畔教育集团").count() == 2


def test_clusters_are_created_from_their_membership_rows(tmp_path: Path, schools: None) -> None:
    run(
        tmp_path,
        "clusters",
        CLUSTER_HEADER
        + "湖畔教育集团,集团,青浦区,湖畔实验小学,湖畔实验小学,优质校,2023-09-01,,是,无\n"
        + "湖畔教育集团,集团,青浦,湖畔实验小学,湖畔第二小学,相对薄弱校,2023-09-01,,,\n"
        + "湖畔学区,学区,310118,湖畔中学,湖畔中学,优质校,2022-09-01,2024-08-31,否,\n",
    )
    group = Cluster.objects.get(name="湖畔教育集团")
    assert (group.kind, group.district.code, group.lead_school.name) == ("group", "310118", "湖畔实验小学")
    assert group.close_knit and group.model_status == "none"
    assert {m.school.name: m.tier for m in group.memberships.all()} == {
        "湖畔实验小学": "quality",
        "湖畔第二小学": "weaker",
    }
    zone = Cluster.objects.get(name="湖畔学区")
    assert zone.kind == "zone" and not zone.close_knit
    assert zone.memberships.get().end_date == date(2024, 8, 31)
    assert list(zone.members_on(date(2024, 9, 1))) == []


def test_a_changed_row_ends_the_old_membership_and_starts_a_new_one(tmp_path: Path, schools: None) -> None:
    row = "湖畔教育集团,集团,青浦区,湖畔实验小学,湖畔第二小学,{tier},{start},{end},是,无\n"
    run(tmp_path, "clusters", CLUSTER_HEADER + row.format(tier="相对薄弱校", start="2021-09-01", end=""))
    run(tmp_path, "clusters", CLUSTER_HEADER + row.format(tier="优质校", start="2024-09-01", end=""))
    memberships = list(ClusterMembership.objects.filter(school__name="湖畔第二小学").order_by("start_date"))
    assert [(m.tier, m.start_date, m.end_date) for m in memberships] == [
        ("weaker", date(2021, 9, 1), date(2024, 8, 31)),
        ("quality", date(2024, 9, 1), None),
    ]
    assert memberships[0].history.count() == 2  # started, then ended: both recorded
    # the old membership's own row with its exit date, beside the new one: nothing to change
    before = history_rows()
    run(
        tmp_path,
        "clusters",
        CLUSTER_HEADER
        + row.format(tier="相对薄弱校", start="2021-09-01", end="2024-08-31")
        + row.format(tier="优质校", start="2024-09-01", end=""),
    )
    assert history_rows() == before
    # leaving: the membership that starts on the row's join date gets the exit date given
    run(
        tmp_path, "clusters", CLUSTER_HEADER + row.format(tier="优质校", start="2024-09-01", end="2025-08-31")
    )
    assert ClusterMembership.objects.get(start_date=date(2024, 9, 1)).end_date == date(2025, 8, 31)
    assert ClusterMembership.objects.filter(school__name="湖畔第二小学").count() == 2


def test_errors_name_row_and_column_and_nothing_is_saved(tmp_path: Path, schools: None) -> None:
    message = failure(
        tmp_path,
        "clusters",
        CLUSTER_HEADER
        + "湖畔教育集团,集团,青浦区,湖畔实验小学,湖畔实验小学,优质校,2023-09-01,,是,无\n"
        + "湖畔教育集团,学区,青浦区,湖畔中学,湖畔第二小学,相对薄弱校,2023-09-01,,否,\n"
        + "湖畔教育集团,集团,青浦区,湖畔实验小学,火星小学,普通校,2023-13-01,,也许,\n"
        + "湖畔学区,学区,卢湾区,湖畔中学,湖畔中学,优质校,2023-09-01,,,\n",
    )
    assert "未保存任何数据" in message
    # a row of a cluster names the first column that disagrees with the rows before
    assert "第3行，“类型”列：同一学区/集团前面的行填写的是“集团”" in message
    assert "第4行，“层级”列：“普通校”不是以下之一：优质校、相对薄弱校" in message
    assert "第4行，“加入日期”列" in message and "第4行，“紧密型”列：“也许”不是以下之一：是、否" in message
    assert "第5行，“牵头校”列：黄浦区没有名为“湖畔中学”的学校" in message  # 卢湾 is 黄浦 now
    assert not Cluster.objects.filter(name__startswith="湖畔").exists()
    message = failure(
        tmp_path, "clusters", CLUSTER_HEADER + "湖畔学区,学区,青浦区,湖畔中学,火星小学,优质校,2023-09-01,,,\n"
    )
    assert "第2行，“成员校”列：青浦区没有名为“火星小学”的学校" in message
    message = failure(tmp_path, "schools", SCHOOL_HEADER + "新校,火星区,,,,,,\n新校二,青浦区,大学,,东经,,,\n")
    assert "第2行，“区”列：“火星区”不是上海市的区" in message
    assert "第3行，“学段”列" in message and "第3行，“经度”列：“东经”不是数字" in message
    assert not School.objects.filter(name__startswith="新校").exists()


def test_a_csv_saved_in_gbk_is_read(tmp_path: Path) -> None:
    run(tmp_path, "schools", (SCHOOL_HEADER + "练塘乡村小学,青浦区,小学,公办,,,否,是\n"), encoding="gbk")
    assert School.objects.get(name="练塘乡村小学").is_rural
    run(
        tmp_path,
        "clusters",
        CLUSTER_HEADER + "练塘学区,学区,青浦区,练塘乡村小学,练塘乡村小学,优质校,2024-09-01,,否,无\n",
        encoding="gbk",
    )
    assert Cluster.objects.get(name="练塘学区").lead_school.name == "练塘乡村小学"


def test_a_bureau_imports_only_into_its_own_district(make_user: Any, schools: None) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = client_of(qingpu)
    assert 'href="/registry/import/schools/"' in client.get("/registry/schools/").content.decode()
    assert 'href="/registry/import/clusters/"' in client.get("/registry/clusters/").content.decode()
    rows = [
        ["学校名称", "区", "学段", "乡村"],
        ["湖畔第三小学", "青浦区", "小学", "是"],
        ["外区小学", "宝山区", "小学", "否"],
    ]
    text = import_on_page(client, "/registry/import/schools/", "schools.xlsx", workbook(rows))
    assert "第3行，“区”列：只能导入您可编辑的区，宝山区不在其中" in text
    assert not School.objects.filter(name__in=["湖畔第三小学", "外区小学"]).exists()
    text = import_on_page(client, "/registry/import/schools/", "schools.xlsx", workbook(rows[:2]))
    assert "已导入 1 条记录" in text
    assert School.objects.get(name="湖畔第三小学").history.get().history_user == qingpu
    # model status is the commission's: a bureau repeats it or leaves it empty
    header = CLUSTER_HEADER.strip().split(",")
    creating = [
        "湖畔学区",
        "学区",
        "青浦区",
        "湖畔中学",
        "湖畔中学",
        "优质校",
        "2024-09-01",
        None,
        "否",
        "创建中",
    ]
    text = import_on_page(client, "/registry/import/clusters/", "c.xlsx", workbook([header, creating]))
    assert "第2行，“示范创建状态”列：只有市教委可以修改学区集团的示范创建状态" in text
    text = import_on_page(client, "/registry/import/clusters/", "c.xlsx", workbook([header, creating[:-1]]))
    assert Cluster.objects.get(name="湖畔学区").model_status == "none"
    # a school's own editor adds no schools, and the page says so
    school_user = make_user(Role.SCHOOL, School.objects.get(name="湖畔中学"), can_edit=True)
    assert client_of(school_user).get("/registry/import/schools/").status_code == 403
    assert Client().get("/registry/import/clusters/").status_code == 302


def test_the_untouched_templates_import_nothing(make_user: Any) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = client_of(qingpu)
    for kind, headers in (("schools", SCHOOL_HEADER), ("clusters", CLUSTER_HEADER)):
        url = f"/registry/import/{kind}/"
        book = openpyxl.load_workbook(io.BytesIO(download(client, url)))
        sheet = book.active
        assert [c.value for c in sheet[1]] == headers.strip().split(",")
        assert all(cell.comment is not None for cell in sheet[1])
        assert sheet["A2"].value.startswith("【示例】")
        listed = {row[1] for row in book["可填报的学校"].iter_rows(min_row=2, values_only=True)}
        assert listed == {"青浦区"}
        lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
        coded = {"schools": {"C2", "D2", "G2", "H2"}, "clusters": {"B2", "F2", "I2", "J2"}}[kind]
        assert lists == coded
        before = history_rows()
        text = import_on_page(client, url, f"{kind}.xlsx", download(client, url))
        assert "已导入 0 条记录" in text and "import-errors" not in text
        assert history_rows() == before


def test_the_command_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "clusters.xlsx"
    call_command("import", "clusters", str(out), "--template")
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book.active[1]] == CLUSTER_HEADER.strip().split(",")
    comments = {cell.value: cell.comment.text for cell in book.active[1]}
    assert "无、创建中、已认定" in comments["示范创建状态"] and "留空表示仍是成员" in comments["退出日期"]
    rules = " ".join(str(c.value) for c in book["填写说明"]["A"] if c.value)
    assert "前一天结束" in rules


def test_the_rural_flag_is_shown_filtered_and_exported(tmp_path: Path, schools: None, municipal: Any) -> None:
    client = client_of(municipal)
    page = client.get("/registry/schools/", {"is_rural": "true", "district": "310118"}).content.decode()
    assert "湖畔第二小学" in page and "湖畔中学" in page and "湖畔实验小学" not in page
    assert "乡村学校" in page
    rural = School.objects.get(name="湖畔第二小学")
    assert "乡村学校" in client.get(f"/registry/schools/{rural.pk}/").content.decode()
    out = tmp_path / "schools.csv"
    call_command("export", "schools", "--filter", "district=310118", "--format", "csv", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    column = rows[0].index("乡村学校")
    assert {row[0]: row[column] for row in rows[1:]}["湖畔第二小学"] == "是"
