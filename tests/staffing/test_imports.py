"""Teachers and rotations as data a district or a school loads: found by staff number, created or updated, a change
of employer kept as history, a second run changing nothing, errors by row and column in Chinese, all or nothing,
and only for the user's own district or school."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.staffing.imports import IMPORTS
from junheng.staffing.models import Employment, Rotation, Teacher

from ..test_import_templates import client_of, download
from ..test_work_imports import import_on_page

pytestmark = pytest.mark.django_db

TEACHER_HEADER = "工号,姓名,编制学校,学段,学科,骨干层级,干部,本校连续任教起始日期,职称\n"
ROTATION_HEADER = "工号,流入学校,类型,开始日期,计划结束日期,实际结束日期,组团,任务,状态,提前结束原因\n"
TEACHERS_URL, ROTATIONS_URL = "/staffing/import/teachers/", "/staffing/import/rotations/"


def run(tmp_path: Path, kind: str, text: str, *args: str, encoding: str = "utf-8-sig") -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode(encoding))
    call_command("import", kind, str(path), *args)


def failure(tmp_path: Path, kind: str, text: str, *args: str) -> str:
    with pytest.raises(CommandError) as failed:
        run(tmp_path, kind, text, *args)
    return str(failed.value)


def history_rows() -> int:
    return sum(model.history.count() for model in (Teacher, Employment, Rotation))


@pytest.fixture
def schools() -> dict[str, School]:
    """Two schools of 青浦, one of 宝山, and a name both districts use."""
    qingpu, baoshan = District.objects.get(code="310118"), District.objects.get(code="310113")
    made = {
        "甲": School.objects.create(name="流动甲校", district=qingpu),
        "乙": School.objects.create(name="流动乙校", district=qingpu),
        "丙": School.objects.create(name="流动丙校", district=baoshan),
        "同名青浦": School.objects.create(name="流动同名学校", district=qingpu),
        "同名宝山": School.objects.create(name="流动同名学校", district=baoshan),
    }
    return made


@pytest.fixture
def teachers(tmp_path: Path, schools: dict[str, School]) -> None:
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER
        + "LD001,王老师,流动甲校,小学,数学,区骨干,中层,2010-09-01,一级教师\n"
        + "LD002,李老师,流动甲校,初中,语文,,,2015-09-01,\n"
        + "LD003,赵老师,流动乙校,高中,英语,特级教师,校级,2012-03-01,正高级教师\n",
    )


def test_teachers_are_created_from_a_sheet_and_updated_by_staff_number(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    wang = Teacher.objects.get(staff_number="LD001")
    assert (wang.name, wang.employer, wang.stage, wang.subject) == (
        "王老师",
        schools["甲"],
        "primary",
        "数学",
    )
    assert (wang.backbone_tier, wang.cadre, wang.title) == ("district_backbone", "middle", "一级教师")
    assert wang.employed_since == date(2010, 9, 1)
    assert [(e.school, e.start_date, e.end_date) for e in wang.employments.all()] == [
        (schools["甲"], date(2010, 9, 1), None)
    ]
    li = Teacher.objects.get(staff_number="LD002")
    assert (li.backbone_tier, li.cadre, li.title) == (
        "",
        "",
        "",
    )  # blank: not a backbone teacher, not a cadre
    zhao = Teacher.objects.get(staff_number="LD003")  # the labels the pages show are read too
    assert (zhao.backbone_tier, zhao.cadre, zhao.stage) == ("special_grade", "school", "senior")
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD001,王老师,流动甲校,小学,数学,市级学科带头人,否,2010-09-01,高级教师\n",
    )
    wang.refresh_from_db()
    assert (wang.backbone_tier, wang.cadre, wang.title) == ("municipal_leader", "", "高级教师")
    assert Teacher.objects.filter(staff_number="LD001").count() == 1
    assert wang.history.count() == 2 and wang.employments.count() == 1  # same employer: no new employment


def test_a_second_run_of_the_same_file_changes_nothing(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    before = history_rows()
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER
        + "LD001,王老师,流动甲校,小学,数学,区骨干,中层,2010-09-01,一级教师\n"
        + "LD002,李老师,流动甲校,初中,语文,,,2015-09-01,\n"
        + "LD003,赵老师,流动乙校,高中,英语,特级教师,校级,2012-03-01,正高级教师\n",
    )
    assert (
        history_rows() == before
        and Employment.objects.filter(teacher__staff_number__startswith="LD").count() == 3
    )


def test_a_new_employer_ends_the_old_employment_the_day_before_and_keeps_it(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    moved = TEACHER_HEADER + "LD001,王老师,流动乙校,小学,数学,区骨干,中层,2022-09-01,一级教师\n"
    run(tmp_path, "teachers", moved)
    wang = Teacher.objects.get(staff_number="LD001")
    assert (wang.employer, wang.employed_since) == (schools["乙"], date(2022, 9, 1))
    assert [(e.school, e.start_date, e.end_date) for e in wang.employments.order_by("start_date")] == [
        (schools["甲"], date(2010, 9, 1), date(2022, 8, 31)),
        (schools["乙"], date(2022, 9, 1), None),
    ]
    assert wang.continuous_years_on(date(2024, 9, 1)) == 2  # the years restart at the new employer
    before = history_rows()
    run(tmp_path, "teachers", moved)
    assert history_rows() == before and wang.employments.count() == 2
    message = failure(
        tmp_path, "teachers", TEACHER_HEADER + "LD001,王老师,流动甲校,小学,数学,,,2020-09-01,\n"
    )
    assert "第2行，“本校连续任教起始日期”列：编制学校改变时，新的起始日期须晚于" in message


def test_errors_are_named_by_row_and_column_in_chinese_and_nothing_is_saved(
    tmp_path: Path, schools: dict[str, School]
) -> None:
    message = failure(
        tmp_path,
        "teachers",
        TEACHER_HEADER
        + "LD101,周老师,流动甲校,小学,数学,,,2019-09-01,\n"  # a good row, not saved with the others
        + "LD102,吴老师,流动甲校,大学,数学,省级骨干,,2019-13-01,\n"
        + "LD103,,流动甲校,小学,,,组长,2019-09-01,\n"
        + "LD101,周老师,流动甲校,小学,数学,,,2019-09-01,\n"
        + "LD104,吴老师,火星小学,小学,数学,,,2019-09-01,\n",
    )
    assert "第3行，“学段”列：“大学”不是以下之一：小学、初中、高中。" in message
    assert "第3行，“骨干层级”列：“省级骨干”不是以下之一：特级、正高级、市级学科带头人" in message
    assert "第3行，“本校连续任教起始日期”列：“2019-13-01”不是日期" in message
    assert "第4行，“姓名”列：该单元格为空。" in message
    assert "第4行，“干部”列：“组长”不是以下之一：否、中层、校级。" in message
    assert "第5行，“工号”列：本文件前面的行已填写同一位教师。" in message
    assert "第6行，“编制学校”列：没有名为“火星小学”的学校。" in message
    assert not Teacher.objects.filter(staff_number__startswith="LD1").exists()


def test_a_school_name_of_several_districts_needs_the_district_of_the_importer(
    tmp_path: Path, schools: dict[str, School], make_user: Any
) -> None:
    row = TEACHER_HEADER + "LD201,孙老师,流动同名学校,小学,美术,,,2020-09-01,\n"
    message = failure(tmp_path, "teachers", row)  # the operator, city-wide
    assert "第2行，“编制学校”列：多个区都有名为“流动同名学校”的学校（宝山区、青浦区）" in message
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    run(tmp_path, "teachers", row, "--user", qingpu.username)
    assert Teacher.objects.get(staff_number="LD201").employer == schools["同名青浦"]


def test_a_csv_saved_by_chinese_excel_in_gbk_imports(tmp_path: Path, schools: dict[str, School]) -> None:
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD301,钱老师,流动丙校,初中,物理,校级骨干,,2016-09-01,二级教师\n",
        encoding="gbk",
    )
    teacher = Teacher.objects.get(staff_number="LD301")
    assert (teacher.name, teacher.employer, teacher.backbone_tier) == (
        "钱老师",
        schools["丙"],
        "school_backbone",
    )


def test_the_templates_say_what_to_write_and_import_again_when_filled_in(
    schools: dict[str, School], make_user: Any
) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    client = client_of(qingpu)
    book = openpyxl.load_workbook(io.BytesIO(download(client, TEACHERS_URL)))
    assert book.sheetnames[0] == "教师"
    headers = [cell.value for cell in book.active[1]]
    assert headers == [
        "工号",
        "姓名",
        "编制学校",
        "学段",
        "学科",
        "骨干层级",
        "干部",
        "本校连续任教起始日期",
        "职称",
    ]
    comments = {cell.value: cell.comment.text for cell in book.active[1]}
    assert "特级、正高级、市级学科带头人、区级学科带头人、区骨干、校级骨干" in comments["骨干层级"]
    stages = [row[0] for row in book["选项"].iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    assert stages == ["小学", "初中", "高中"]
    listed = {row[0] for row in book["可填报的学校"].iter_rows(min_row=2, values_only=True)}
    assert {"流动甲校", "流动乙校"} <= listed and "流动丙校" not in listed  # 丙 is 宝山's
    book.active.append(["LD401", "郑老师", "流动甲校", "小学", "音乐", "", "", "2021-09-01", ""])
    stream = io.BytesIO()
    book.save(stream)
    text = import_on_page(client, TEACHERS_URL, "teachers.xlsx", stream.getvalue())
    assert "已导入 1 条记录" in text
    assert Teacher.objects.get(staff_number="LD401").history.get().history_user == qingpu

    rotations = openpyxl.load_workbook(io.BytesIO(download(client, ROTATIONS_URL)))
    comments = {cell.value: cell.comment.text for cell in rotations.active[1]}
    assert "早于计划结束日期时必填" in comments["提前结束原因"]
    assert "包班上课、教研引领、项目攻关、兼课、指导" in comments["任务"]
    assert [cell.value for cell in rotations.active[1]] == IMPORTS["rotations"].headers
    rotations.active.append(
        ["LD401", "流动乙校", "交流轮岗", "2024-09-01", "2027-08-31", None, None, "兼课", None, None]
    )
    stream = io.BytesIO()
    rotations.save(stream)
    import_on_page(client, ROTATIONS_URL, "rotations.xlsx", stream.getvalue())
    rotation = Rotation.objects.get(teacher__staff_number="LD401")
    assert (rotation.from_school, rotation.host, rotation.duties) == (
        schools["甲"],
        schools["乙"],
        ["extra_classes"],
    )


def test_rotations_start_from_the_employer_on_their_start_date_and_record_what_happened(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD001,王老师,流动乙校,小学,数学,区骨干,中层,2022-09-01,一级教师\n",
    )
    run(
        tmp_path,
        "rotations",
        ROTATION_HEADER
        + "LD001,流动乙校,交流轮岗,2019-09-01,2021-08-31,,,包班上课、教研引领，兼课,,\n"  # planned for 2 years
        + 'LD001,流动甲校,组团流入,2023-09-01,2026-08-31,,第一组,"项目攻关,指导",已报区备案,\n'
        + "LD002,流动乙校,挂职锻炼,2020-09-01,2023-08-31,2022-01-31,,,,因病提前返回\n",
    )
    first, second = Rotation.objects.filter(teacher__staff_number="LD001").order_by("start_date")
    assert (first.from_school, first.host) == (schools["甲"], schools["乙"])  # employed at 甲 in 2019
    assert (second.from_school, second.host) == (schools["乙"], schools["甲"])  # and at 乙 from 2022
    assert (
        first.duties == ["class_teaching", "research_lead", "extra_classes"] and first.status == "in_progress"
    )
    assert (second.kind, second.team, second.duties, second.status) == (
        "team_inflow",
        "第一组",
        ["project", "guidance"],
        "filed",
    )
    early = Rotation.objects.get(teacher__staff_number="LD002")
    assert (early.status, early.actual_end, early.end_reason) == ("ended", date(2022, 1, 31), "因病提前返回")
    # the same rotation again, now ended: found by teacher and start date, and updated
    before = Rotation.objects.count()
    ended = (
        ROTATION_HEADER
        + "LD001,流动乙校,交流轮岗,2019-09-01,2021-08-31,2021-08-31,,包班上课、教研引领、兼课,,\n"
    )
    run(tmp_path, "rotations", ended)
    first.refresh_from_db()
    assert Rotation.objects.count() == before and (first.status, first.actual_end) == (
        "ended",
        date(2021, 8, 31),
    )
    history = history_rows()
    run(tmp_path, "rotations", ended)
    assert history_rows() == history  # a second run changes nothing


def test_rotation_errors_are_named_by_row_and_column(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    message = failure(
        tmp_path,
        "rotations",
        ROTATION_HEADER
        + "LD009,流动乙校,交流轮岗,2019-09-01,2022-08-31,,,,,\n"
        + "LD001,流动乙校,轮换,2019-09-01,2022-08-31,,,上课,,\n"
        + "LD002,流动乙校,交流轮岗,2019-09-01,2022-08-31,2020-08-31,,,,\n"
        + "LD003,流动甲校,交流轮岗,2019-09-01,2022-08-31,,,,已结束,\n"
        + "LD002,流动甲校,交流轮岗,2014-09-01,2016-08-31,,,,,\n"
        + "LD001,流动甲校,交流轮岗,2023-09-01,2026-08-31,,,,,\n",
    )
    assert "第2行，“工号”列：没有工号为 LD009 的教师：请先导入教师。" in message
    assert (
        "第3行，“类型”列：“轮换”不是以下之一：交流轮岗、组团流入、挂职锻炼、跟岗实践、师徒带教。" in message
    )
    assert "第3行，“任务”列：“上课”不是以下之一：包班上课" in message
    assert "第4行，“提前结束原因”列：轮岗在计划结束日期前结束，请填写提前结束原因。" in message
    assert "第5行，“实际结束日期”列：已结束的轮岗须填写实际结束日期。" in message
    assert "第6行，“开始日期”列：该教师在 2014-09-01 没有编制学校" in message  # employed at 甲 from 2015
    assert "第7行，“流入学校”列：流入学校不能是教师的编制学校。" in message
    assert not Rotation.objects.filter(teacher__staff_number__startswith="LD").exists()


def test_an_overlapping_rotation_of_the_same_teacher_is_refused_and_nothing_is_saved(
    tmp_path: Path, schools: dict[str, School], teachers: None
) -> None:
    message = failure(
        tmp_path,
        "rotations",
        ROTATION_HEADER
        + "LD002,流动丙校,交流轮岗,2019-09-01,2022-08-31,,,,,\n"
        + "LD001,流动乙校,交流轮岗,2019-09-01,2022-08-31,,,,,\n"
        + "LD001,流动丙校,交流轮岗,2021-09-01,2024-08-31,,,,,\n",
    )
    assert "第4行：该教师在这段时间内已在另一项轮岗中。" in message
    assert not Rotation.objects.filter(
        teacher__staff_number__startswith="LD"
    ).exists()  # not even rows 2 and 3
    run(tmp_path, "rotations", ROTATION_HEADER + "LD001,流动乙校,交流轮岗,2019-09-01,2022-08-31,,,,,\n")
    message = failure(
        tmp_path, "rotations", ROTATION_HEADER + "LD001,流动丙校,交流轮岗,2022-08-01,2024-08-31,,,,,\n"
    )
    assert "第2行：该教师在这段时间内已在另一项轮岗中。" in message
    assert Rotation.objects.filter(teacher__staff_number="LD001").count() == 1


def test_a_district_imports_only_its_own_teachers_and_a_school_only_its_own(
    tmp_path: Path, schools: dict[str, School], teachers: None, make_user: Any
) -> None:
    baoshan = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113"), can_edit=True)
    message = failure(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD501,冯老师,流动甲校,小学,数学,,,2020-09-01,\n"
        "LD001,王老师,流动丙校,小学,数学,,,2023-09-01,\n",
        "--user",
        baoshan.username,
    )
    assert "第2行，“编制学校”列：“流动甲校”不是您可编辑的学校。" in message
    assert "第3行，“工号”列：工号为 LD001 的教师在编于您不可编辑的学校。" in message
    school_jia = make_user(Role.SCHOOL, schools["甲"], can_edit=True)
    message = failure(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD003,赵老师,流动甲校,高中,英语,,,2024-09-01,\n",  # taken from 乙
        "--user",
        school_jia.username,
    )
    assert "第2行，“工号”列：工号为 LD003 的教师在编于您不可编辑的学校。" in message
    run(
        tmp_path,
        "teachers",
        TEACHER_HEADER + "LD002,李老师,流动甲校,初中,语文,,,2015-09-01,二级教师\n",
        "--user",
        school_jia.username,
    )
    assert Teacher.objects.get(staff_number="LD002").title == "二级教师"
    # rotations: the sending school or the host must be the user's
    school_bing = make_user(Role.SCHOOL, schools["丙"], can_edit=True)
    rotation = ROTATION_HEADER + "LD002,流动乙校,交流轮岗,2019-09-01,2022-08-31,,,,,\n"
    message = failure(tmp_path, "rotations", rotation, "--user", school_bing.username)
    assert "第2行，“流入学校”列：派出学校（流动甲校）和流入学校都不是您可编辑的学校。" in message
    school_yi = make_user(Role.SCHOOL, schools["乙"], can_edit=True)
    run(tmp_path, "rotations", rotation, "--user", school_yi.username)  # the host records its inflow
    assert Rotation.objects.get(teacher__staff_number="LD002").host == schools["乙"]
    # a cluster office, for its member schools
    cluster = Cluster.objects.create(
        name="流动测试集团", kind="group", district=schools["甲"].district, lead_school=schools["甲"]
    )
    for member in (schools["甲"], schools["乙"]):
        ClusterMembership.objects.create(
            cluster=cluster, school=member, tier="quality", start_date=date(2018, 9, 1)
        )
    office = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    run(
        tmp_path,
        "rotations",
        ROTATION_HEADER + "LD001,流动乙校,跟岗实践,2016-09-01,2017-01-31,,,,,\n",
        "--user",
        office.username,
    )
    assert Rotation.objects.get(teacher__staff_number="LD001").host == schools["乙"]
    run(tmp_path, "teachers", TEACHER_HEADER + "LD601,陈老师,流动丙校,小学,数学,,,2015-09-01,\n")
    message = failure(
        tmp_path,
        "rotations",
        ROTATION_HEADER + "LD601,流动同名学校,跟岗实践,2017-09-01,2018-01-31,,,,,\n",  # 宝山's, as 丙 is
        "--user",
        office.username,
    )
    assert "第2行，“流入学校”列：派出学校（流动丙校）和流入学校都不是您可编辑的学校。" in message


def test_the_import_pages_are_for_district_bureaus_and_schools(
    schools: dict[str, School], make_user: Any
) -> None:
    qingpu = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"), can_edit=True)
    school = make_user(Role.SCHOOL, schools["甲"], can_edit=True)
    reader = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"))
    for url in (TEACHERS_URL, ROTATIONS_URL):
        assert client_of(qingpu).get(url).status_code == 200
        assert client_of(school).get(url).status_code == 200
        assert client_of(reader).get(url).status_code == 403  # reading only
    assert client_of(qingpu).get("/staffing/import/nothing/").status_code == 404
