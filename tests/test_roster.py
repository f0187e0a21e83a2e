"""The official roster (R-B1, R-B2): both forms import exactly, every bad row is named, and re-runs change nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from junheng.core.imports import ImportFailed
from junheng.organisations.choices import stage_from_name
from junheng.organisations.models import Institution, School
from junheng.programmes.models import Pairing, ProgrammeRound
from junheng.programmes.roster import read_roster_file, read_workbook, roster_import

from .conftest import ROSTER_NOTICE

WORKBOOK = Path(__file__).parent / "data" / "roster-2021.xlsx"


def roster_state() -> list[tuple[Any, ...]]:
    """What a person checks: every pairing with its parties and their districts."""
    return sorted(
        (
            p.kind,
            p.sequence,
            p.supported_school.name,
            p.supported_school.district.code,
            p.supporting_unit.name,
            getattr(p.supporting_district, "code", None),
            p.project_title,
        )
        for p in Pairing.objects.with_parties()
    )


def history_rows() -> int:
    return sum(m.history.count() for m in (Pairing, School, Institution, ProgrammeRound))


def clear_roster() -> None:
    Pairing.objects.all().delete()
    ProgrammeRound.objects.all().delete()
    School.objects.filter(is_demo=False).delete()
    Institution.objects.all().delete()


@pytest.mark.django_db
def test_notice_imports_66_pairings_with_one_record_per_organisation() -> None:
    clear_roster()
    call_command("import_roster", ROSTER_NOTICE, verbosity=0)
    assert Pairing.objects.filter(kind="entrusted").count() == 38
    assert Pairing.objects.filter(kind="mutual_growth").count() == 28
    programme_round = ProgrammeRound.objects.get()
    assert programme_round.document_number == "沪教委基〔2021〕4号"
    assert (programme_round.start_date.year, programme_round.end_date.year) == (2021, 2023)
    # 66 supported schools, 44 supporting schools and 12 institutions, each once.
    assert School.objects.filter(is_demo=False).count() == 110
    assert Institution.objects.count() == 12
    assert Institution.objects.get(name="静安区教育学会").pairings_supporting.count() == 4
    assert Institution.objects.get(name="上海名师培训中心").pairings_supporting.count() == 5


@pytest.mark.django_db
def test_blank_cells_repeat_the_row_above_and_broken_names_join() -> None:
    pairing = {(p.kind, p.sequence): p for p in Pairing.objects.with_parties()}
    for sequence in (17, 18, 19):  # rows 17–19 of part 一 are all supported by 上海名师培训中心 (黄浦区)
        unit = pairing["entrusted", sequence].supporting_unit
        assert (unit.name, unit.district.code) == ("上海名师培训中心", "310101")
    assert pairing["entrusted", 2].supporting_unit.district.code == "310110"  # 中原路小学 under 杨浦区 above
    assert pairing["entrusted", 30].supporting_unit.district.name == "浦东新区"  # written 浦东区
    assert pairing["mutual_growth", 1].supported_school.district.name == "浦东新区"  # written 浦东\n新区
    assert pairing["mutual_growth", 7].supported_school.district.name == "浦东新区"  # blank under it
    assert pairing["mutual_growth", 14].supporting_unit.name == "徐汇区高安路第一小学"
    assert pairing["mutual_growth", 16].project_title == "建设科创特色课程，培养学生创新素养"
    assert pairing["mutual_growth", 2].project_title == "师资队伍培养"  # trailing space trimmed
    assert pairing["entrusted", 1].project_title == ""
    assert isinstance(pairing["entrusted", 12].supporting_unit, Institution)  # 闵行区教育评估事务所
    assert isinstance(pairing["mutual_growth", 19].supporting_unit, School)  # 上外附中


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("月浦中心校", "primary"),  # a township's central primary school
        ("卢湾二中心小学", "primary"),
        ("安亭师范附属小学", "primary"),
        ("格致初级中学", "junior"),
        ("三门中学", "junior"),
        ("金山区九年一贯制学校", "nine_year"),
        ("松江区一贯制学校", "nine_year"),
        ("某区十二年一贯制学校", "twelve_year"),
        ("某区完全中学", "complete_secondary"),
        ("晋元高级中学", ""),  # a senior high school: no compulsory-education stage
        ("华亭学校", ""),  # 学校 alone does not say
        ("上海中医药大学附属枫泾小学", "primary"),
    ],
)
def test_the_stage_a_school_name_states(name: str, stage: str) -> None:
    assert stage_from_name(name) == stage


@pytest.mark.django_db
def test_roster_schools_have_the_stage_their_names_state_and_no_invented_code() -> None:
    schools = {s.name: s for s in School.objects.filter(is_demo=False)}
    assert schools["月浦中心校"].stage == "primary"
    assert schools["格致初级中学"].stage == "junior"
    assert schools["大公中学"].stage == "junior"
    assert schools["华亭学校"].stage == ""
    assert schools["晋元高级中学"].stage == ""
    assert not any(s.code for s in schools.values())  # the notice gives no school codes
    School.objects.filter(name="华亭学校").update(stage="nine_year")  # a district's correction
    School.objects.filter(name="三门中学").update(stage="")  # imported before stages were read
    call_command("import_roster", ROSTER_NOTICE, verbosity=0)
    assert School.objects.get(name="华亭学校").stage == "nine_year"
    assert School.objects.get(name="三门中学").stage == "junior"


@pytest.mark.django_db
def test_rerunning_changes_nothing() -> None:
    before, audit_before = roster_state(), history_rows()
    call_command("import_roster", ROSTER_NOTICE, verbosity=0)
    call_command("import_roster", str(WORKBOOK), verbosity=0)
    assert roster_state() == before
    assert history_rows() == audit_before


@pytest.mark.django_db
def test_workbook_with_title_row_and_merged_cells_gives_the_same_roster() -> None:
    from_notice = roster_state()
    clear_roster()
    call_command("import_roster", str(WORKBOOK), verbosity=0)
    assert roster_state() == from_notice


def broken_workbook(edit: Any) -> io.BytesIO:
    workbook = openpyxl.load_workbook(WORKBOOK)
    edit(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda wb: wb["精准委托管理"].cell(7, 4, "浦西区"), "工作表“精准委托管理”，第7行，“支援区”列"),
        (
            lambda wb: setattr(wb["互助成长项目"]["E9"], "value", None),
            "工作表“互助成长项目”，第9行，“项目名称”列",
        ),
        (lambda wb: wb["精准委托管理"].cell(6, 1, "六"), "工作表“精准委托管理”，第6行，“序号”列"),
        (lambda wb: wb["精准委托管理"].cell(8, 5, "某某教育公司"), "第8行，“支援单位”列"),
        (lambda wb: wb["互助成长项目"].cell(2, 3, "学校"), "工作表“互助成长项目”，第2行"),
    ],
)
def test_a_bad_row_saves_nothing_and_names_sheet_row_and_column(edit: Any, expected: str) -> None:
    clear_roster()
    with pytest.raises(ImportFailed) as failed:
        roster_import(actor=None, tables=read_workbook(broken_workbook(edit), "roster.xlsx"))
    assert expected in "\n".join(str(e) for e in failed.value.errors)
    assert Pairing.objects.count() == 0 and School.objects.filter(is_demo=False).count() == 0


@pytest.mark.django_db
def test_a_row_refused_while_saving_rolls_back_the_rows_saved_before_it() -> None:
    clear_roster()
    stream = broken_workbook(lambda wb: wb["互助成长项目"].cell(30, 3, "很长的校名" * 30))
    with pytest.raises(ImportFailed) as failed:
        roster_import(actor=None, tables=read_workbook(stream, "roster.xlsx"))
    assert "工作表“互助成长项目”，第30行" in str(failed.value)
    assert Pairing.objects.count() == 0
    assert ProgrammeRound.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_errors_in_chinese_and_refuses_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(broken_workbook(lambda wb: wb["精准委托管理"].cell(7, 4, "浦西区")).getvalue())
    with pytest.raises(CommandError, match="“浦西区”不是上海市的区"):
        call_command("import_roster", str(bad))
    not_excel = tmp_path / "roster.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        call_command("import_roster", str(not_excel))
    pdf = tmp_path / "roster.pdf"
    pdf.write_text("x")
    with pytest.raises(CommandError, match="只接受"):
        call_command("import_roster", str(pdf))


def test_reading_the_notice_finds_both_parts() -> None:
    tables = read_roster_file(Path(ROSTER_NOTICE))
    assert [len(t.rows) for t in tables] == [38, 28]


@pytest.mark.django_db
def test_upload_page_imports_for_administrators_and_lists_errors(make_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from junheng.organisations.choices import Role
    from junheng.organisations.models import District

    district_client = Client()
    district_client.force_login(
        make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True)
    )
    assert district_client.get("/programmes/roster/import/").status_code == 404

    client = Client()
    client.force_login(make_user(Role.MUNICIPAL, can_edit=True))
    assert "导入" in client.get("/programmes/pairings/").content.decode()
    bad = broken_workbook(lambda wb: wb["精准委托管理"].cell(7, 4, "浦西区")).getvalue()
    before = roster_state()
    page = client.post("/programmes/roster/import/", {"file": SimpleUploadedFile("roster.xlsx", bad)})
    assert "工作表“精准委托管理”，第7行，“支援区”列：“浦西区”不是上海市的区。" in page.content.decode()
    assert roster_state() == before

    not_excel = SimpleUploadedFile("roster.xlsx", b"not a workbook")
    assert (
        "不是 Excel 工作簿" in client.post("/programmes/roster/import/", {"file": not_excel}).content.decode()
    )

    clear_roster()
    response = client.post(
        "/programmes/roster/import/",
        {"file": SimpleUploadedFile("r.xlsx", WORKBOOK.read_bytes())},
        follow=True,
    )
    assert "新建结对 66 个" in response.content.decode()
    assert roster_state() == before
