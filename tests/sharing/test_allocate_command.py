"""`junheng allocate courses` end to end: the JSON of the issue and the workbook from two CSV files, the console
run without the platform, and bad files refused with the file, row and column named and nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from junheng.sharing.allocation import Choices, allocate_choices
from junheng.sharing.allocation.files import read_choices, read_files

# The example of test_allocation.py: with seed 42 the lottery order is A2, B3, A1, B2, B1.
COURSES = """course_id,cluster,school_code,capacity,slots
ROBOT,X,SA,2,Mon7
ART,X,SB,1,mon7
CHESS,X,SB,2,Wed8
TRIP,X,SA,1,
"""
APPLICATIONS = """student_id,school_code,course_id,rank
A1,SA,ROBOT,1
A1,SA,TRIP,2
A1,SA,CHESS,3
A2,SA,ROBOT,1
A2,SA,ART,2
A2,SA,CHESS,3
B1,SB,ART,1
B1,SB,ROBOT,2
B1,SB,CHESS,3
B2,SB,ROBOT,1
B2,SB,CHESS,2
B2,SB,TRIP,3
B3,SB,ART,1
B3,SB,CHESS,2
"""


def write(
    tmp_path: Path, courses: str = COURSES, applications: str = APPLICATIONS, bom: bool = False
) -> list[str]:
    (tmp_path / "C.csv").write_text(courses, encoding="utf-8-sig" if bom else "utf-8")
    (tmp_path / "A.csv").write_text(applications, encoding="utf-8-sig" if bom else "utf-8")
    return ["--courses", str(tmp_path / "C.csv"), "--applications", str(tmp_path / "A.csv")]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("allocate", "courses", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_json_of_the_issue(tmp_path: Path) -> None:
    result = json.loads(run(*write(tmp_path), "--seed", "42"))
    assert {"seed", "students", "courses"} <= set(result) and result["seed"] == 42
    assert {"student_id", "lottery", "courses", "waiting"} <= set(result["students"][0])
    assert {"course_id", "capacity", "enrolled"} <= set(result["courses"][0])
    seats = {s["student_id"]: (s["lottery"], s["courses"], s["waiting"]) for s in result["students"]}
    assert seats == {
        "A2": (1, ["ROBOT", "CHESS"], ["ART"]),
        "B3": (2, ["ART", "CHESS"], []),
        "A1": (3, ["ROBOT", "TRIP"], ["CHESS"]),
        "B2": (4, [], ["ROBOT", "CHESS", "TRIP"]),
        "B1": (5, [], ["ART", "ROBOT", "CHESS"]),
    }
    assert [c["enrolled"] for c in result["courses"]] == [2, 1, 2, 1]
    assert result["lottery_order"] == ["A2", "B3", "A1", "B2", "B1"]


def test_the_same_seed_the_same_file_and_the_maximum(tmp_path: Path) -> None:
    args = write(tmp_path, bom=True)  # Excel's UTF-8 reads the same
    run(*args, "--seed", "42", "-o", str(tmp_path / "one.json"))
    run(*args, "--seed", "42", "-o", str(tmp_path / "two.json"))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    one = json.loads(run(*args, "--seed", "42", "--max-per-student", "1"))
    assert all(len(s["courses"]) <= 1 for s in one["students"])


def test_the_fast_read_and_the_row_by_row_read_agree(tmp_path: Path) -> None:
    write(tmp_path)
    courses, choices = read_choices(tmp_path / "C.csv", tmp_path / "A.csv")
    slow_courses, applications = read_files(tmp_path / "C.csv", tmp_path / "A.csv")
    fast = allocate_choices(courses, choices, 42).as_dict()
    assert fast == allocate_choices(slow_courses, Choices.of(slow_courses, applications), 42).as_dict()


def test_the_command_writes_a_workbook(tmp_path: Path) -> None:
    run(*write(tmp_path), "--seed", "42", "--format", "xlsx", "-o", str(tmp_path / "allocation.xlsx"))
    book = load_workbook(tmp_path / "allocation.xlsx")
    assert book.sheetnames == ["学生", "课程", "抽签"]
    students = list(book["学生"].values)
    assert students[0][:2] == ("抽签号 lottery", "学生编号 student_id")
    assert students[1] == (1, "A2", "SA", "X", "ROBOT;CHESS", "ART")
    courses = list(book["课程"].values)
    assert courses[1][:5] == ("ROBOT", "X", "SA", 2, 2)
    assert list(book["抽签"].values)[1] == ("抽签种子 seed", 42)


@pytest.mark.parametrize(
    ("courses", "applications", "message"),
    [
        (
            COURSES.replace("ART,X,SB,1", "ART,X,SB,one"),
            APPLICATIONS,
            "C.csv 第 3 行“capacity”列：“one”应为 0 或正整数",
        ),
        (COURSES.replace("Wed8", "Wed8;Sunday"), APPLICATIONS, "C.csv 第 4 行“slots”列：“Sunday”应为星期"),
        (
            COURSES.replace("TRIP,X,SA", "TRIP,Y,SA"),
            APPLICATIONS,
            "C.csv 第 5 行“cluster”列：学校 SA 已在集群 X",
        ),
        (
            COURSES,
            APPLICATIONS.replace("A1,SA,TRIP,2", "A1,SA,TRIP,0"),
            "A.csv 第 3 行“rank”列：“0”应为正整数",
        ),
        (
            COURSES,
            APPLICATIONS.replace("A1,SA,TRIP,2", "A1,SA,TRIP,1"),
            "A.csv 第 3 行“rank”列：学生 A1 的第 1 志愿已在第 2 行填过",
        ),
        (
            COURSES,
            APPLICATIONS.replace("B3,SB,CHESS", "B3,SA,CHESS"),
            "A.csv 第 15 行“school_code”列：学生 B3 已填为学校 SB（第 14 行）",
        ),
        (
            COURSES,
            APPLICATIONS.replace("B3,SB,CHESS", "B3,SB,ART"),
            "A.csv 第 15 行“course_id”列：学生 B3 已在第 14 行选过课程 ART",
        ),
        (
            COURSES,
            APPLICATIONS.replace("B3,SB,CHESS", "B3,SB,LAB"),
            "A.csv 第 15 行“course_id”列：课程 LAB 不在课程清单中",
        ),
        (COURSES, APPLICATIONS.replace("B3,SB,CHESS", ",SB,CHESS"), "A.csv 第 15 行“student_id”列：不能为空"),
        (COURSES, "student_id,course_id,rank\n", "A.csv 第 1 行：缺少列 school_code"),
        (
            COURSES + "DRAMA,Y,SC,5,Fri7\n",
            APPLICATIONS + "B3,SB,DRAMA,3\n",
            "A.csv 第 16 行“course_id”列：课程 DRAMA 属于集群 Y，学校 SB 属于集群 X（据课程 ART）：跨校选课限于本集群",
        ),
    ],
)
def test_bad_files_are_refused_naming_row_and_column(
    tmp_path: Path, courses: str, applications: str, message: str
) -> None:
    output = tmp_path / "allocation.json"
    with pytest.raises(CommandError) as refused:
        run(*write(tmp_path, courses, applications), "--seed", "42", "-o", str(output))
    assert message in str(refused.value)
    assert not output.exists()


def test_the_command_refuses_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="请给出 --seed"):
        run(*write(tmp_path))
    with pytest.raises(CommandError, match="-o"):
        run(*write(tmp_path), "--seed", "1", "--format", "xlsx")
    with pytest.raises(CommandError, match="--max-per-student 应为正整数"):
        run(*write(tmp_path), "--seed", "1", "--max-per-student", "0")


def test_the_console_runs_without_the_platform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from junheng.sharing.allocation.command import main

    assert main([*write(tmp_path), "--seed", "42"]) == 0
    assert json.loads(capsys.readouterr().out)["lottery_order"][0] == "A2"
    output = tmp_path / "bad.xlsx"
    assert (
        main(
            [
                *write(tmp_path, applications=APPLICATIONS + "B9,SB,LAB,1\n"),
                "--seed",
                "42",
                "--format",
                "xlsx",
                "-o",
                str(output),
            ]
        )
        == 1
    )
    assert "A.csv 第 16 行“course_id”列" in capsys.readouterr().err
    assert not output.exists()
