"""Import templates as an office fills them in: a comment on every header saying what to write, drop-downs for
coded columns, an example row the importer skips, a sheet of instructions, and the user's own pairings or schools
to copy names from."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from django.test import Client

from junheng.evaluation.models.balance import ResourceRecord
from junheng.organisations.choices import Role
from junheng.organisations.models import District, School
from junheng.programmes.models import ResidentAssignment, ResidentRole

from .test_work_imports import import_on_page, workbook

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client: Client, url: str) -> bytes:
    response = client.get(url, {"template": 1})
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("-模板.xlsx")  # the name a user saves it under
    return response.content


def test_the_residents_template_says_what_to_fill_in_and_offers_the_users_pairings(make_user: Any) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    book = openpyxl.load_workbook(io.BytesIO(download(client_of(qingpu), "/programmes/import/residents/")))
    assert book.sheetnames[0] == "常驻人员"  # the sheet imported
    sheet = book["常驻人员"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == ["受援学校", "结对序号", "姓名", "角色", "学科", "开始日期", "结束日期"]
    comments = {cell.value: cell.comment.text for cell in sheet[1]}
    assert "必填" in comments["开始日期"] and "2024-09-01" in comments["开始日期"]
    assert "可留空" in comments["结束日期"]
    roles = [str(label) for _code, label in ResidentRole.choices]
    assert all(role in comments["角色"] for role in roles)
    # the example row, marked in its first cell
    example = [cell.value for cell in sheet[2]]
    assert example[0].startswith("【示例】") and example[3] == roles[0] and example[5] == "2024-09-01"
    # the drop-down of 角色 (column D) lists the roles kept on the hidden sheet 选项
    options = book["选项"]
    assert options.sheet_state == "hidden"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and "D2" in str(validation.sqref)
    assert validation.formula1.startswith("'选项'!$A$2")
    assert [c.value for c in options["A"]][1:] == roles
    # the rules, and the pairings this bureau records for: its own district's, not 宝山's
    rules = " ".join(str(c.value) for c in book["填写说明"]["A"] if c.value)
    assert "【示例】" in rules and "不保存任何数据" in rules
    pairings = [row for row in book["可填报的结对"].iter_rows(min_row=2, values_only=True)]
    schools = {row[0] for row in pairings}
    assert "金泽小学" in schools and "月浦中心校" not in schools
    assert all(row[3] == "青浦区" for row in pairings)


def test_the_untouched_template_imports_nothing_and_no_error(make_user: Any) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = client_of(qingpu)
    url = "/programmes/import/residents/"
    text = import_on_page(client, url, "residents.xlsx", download(client, url))
    assert "已导入 0 条记录" in text and "import-errors" not in text
    assert not ResidentAssignment.objects.exists()
    # the example row left in, with a filled-in row under it: only that row is imported
    filled = openpyxl.load_workbook(io.BytesIO(download(client, url)))
    filled.active.append(["金泽小学", None, "甲", "管理人员", "", "2021-03-01", None])
    stream = io.BytesIO()
    filled.save(stream)
    text = import_on_page(client, url, "residents.xlsx", stream.getvalue())
    assert "已导入 1 条记录" in text
    assert ResidentAssignment.objects.get().person_name == "甲"


def test_the_resources_template_lists_the_schools_the_user_records_for(make_user: Any) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = client_of(qingpu)
    url = "/evaluation/import/resources/"
    book = openpyxl.load_workbook(io.BytesIO(download(client, url)))
    listed = {row[0] for row in book["可填报的学校"].iter_rows(min_row=2, values_only=True)}
    own = set(
        School.objects.filter(district__code="310118").exclude(code=None).values_list("code", flat=True)
    )
    assert listed == own and listed
    comments = {cell.value: cell.comment.text for cell in book.active[1]}
    assert "2024-2025 学年" in comments["学年"] and "最多两位小数" in comments["体育运动场馆面积（平方米）"]
    text = import_on_page(client, url, "resources.xlsx", download(client, url))
    assert "已导入 0 条记录" in text and not ResourceRecord.objects.exists()
    # a sheet holding no rows at all is still refused
    headers = [cell.value for cell in book.active[1]]
    text = import_on_page(client, url, "empty.xlsx", workbook([headers]))
    assert "文件中没有数据行" in text
