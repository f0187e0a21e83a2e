"""`junheng allocate courses` in analyst mode: the courses and applications files in, the allocation out as JSON
or a workbook, with its seed and lottery order so that anyone can re-run it.

The allocation reads nothing from the platform, so the console command (junheng.cli) always runs it straight,
without loading the platform's apps or touching a database, as `junheng plan rotations` does with files; the
management command (`python -m junheng allocate courses`, `call_command`) runs the same `allocate_files`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from junheng.core.csvfiles import FilesInvalid

from .checks import check
from .files import read_choices
from .serial import Allocation, allocate_choices


class Refused(Exception):
    """The run cannot go ahead; the message says why, in Chinese."""


def add_arguments(parser: Any) -> None:
    parser.add_argument("--courses", type=Path, help="CSV: course_id, cluster, school_code, capacity, slots")
    parser.add_argument("--applications", type=Path, help="CSV: student_id, school_code, course_id, rank")
    parser.add_argument("--seed", type=int, help="the lottery's seed, an integer published with the result")
    parser.add_argument(
        "--max-per-student",
        dest="max_per_student",
        type=int,
        default=2,
        help="courses per student (default 2)",
    )
    parser.add_argument("--format", dest="format", choices=["json", "xlsx"], default="json")
    parser.add_argument(
        "-o", "--output", type=Path, help="file to write; standard output when omitted (JSON only)"
    )


def main(argv: list[str]) -> int:
    """`junheng allocate courses` from the console: no apps, no database."""
    import gc

    from django.apps import apps

    # Millions of small objects and no cycles among them: the collector would walk them all again and again
    # (a third of a city's run), for nothing it could free before the run ends.
    gc.disable()
    try:
        apps.populate([])  # the workbook writer reads settings, never a model
        parser = argparse.ArgumentParser(prog="junheng allocate courses")
        add_arguments(parser)
        allocate_files(vars(parser.parse_args(argv)), sys.stdout)
    except Refused as refused:
        sys.stderr.write(f"{refused}\n")
        return 1
    finally:
        gc.enable()
    return 0


def allocate_files(arguments: dict[str, Any], stdout: Any) -> Allocation:
    """The analyst's run: check the arguments, read the files, allocate, check the guarantees, write."""
    missing = [f"--{name}" for name in ("courses", "applications", "seed") if arguments.get(name) is None]
    if missing:
        raise Refused(f"请给出 {'、'.join(missing)}：分配需要课程、申请两个 CSV 文件和抽签种子。")
    if arguments["format"] == "xlsx" and arguments.get("output") is None:
        raise Refused("Excel 文件请用 -o 指定文件名。")
    if arguments["max_per_student"] < 1:
        raise Refused("--max-per-student 应为正整数。")
    try:
        courses, choices = read_choices(arguments["courses"], arguments["applications"])
    except FilesInvalid as invalid:
        raise Refused(str(invalid)) from invalid
    result = allocate_choices(courses, choices, arguments["seed"], arguments["max_per_student"])
    broken = check(result)
    if broken:  # never: the lottery keeps its guarantees by construction; the check is there to prove it
        raise Refused("分配结果未通过检查，未写出任何文件：\n" + "\n".join(broken[:200]))
    write_result(result, arguments["format"], arguments.get("output"), stdout)
    return result


def write_result(result: Allocation, format: str, output: Path | None, stdout: Any) -> None:
    if format == "json":
        text = json.dumps(result.as_dict(), ensure_ascii=False)
        if output is None:
            stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
        return
    from junheng.core.exports import write_workbook

    assert output is not None
    with output.open("wb") as stream:
        write_workbook(workbook_sheets(result), stream)


STUDENT_HEADERS = [
    "抽签号 lottery",
    "学生编号 student_id",
    "学校代码 school_code",
    "集群 cluster",
    "录取课程 courses",
    "候补课程 waiting",
]
COURSE_HEADERS = [
    "课程编号 course_id",
    "集群 cluster",
    "开课学校 school_code",
    "容量 capacity",
    "已录取人数 enrolled",
    "录取学生 students",
    "候补名单 waiting",
]
LOTTERY_HEADERS = ["项目 key", "值 value"]


def workbook_sheets(result: Allocation) -> list[tuple[str, list[list[Any]]]]:
    """The allocation as a workbook: its students in lottery order, its courses, and the lottery's seed and rule,
    with Chinese headers naming the JSON's keys; lists of ids are joined with `;`, as the slots are in the files."""
    data = result.as_dict()
    students: list[list[Any]] = [STUDENT_HEADERS] + [
        [
            s["lottery"],
            s["student_id"],
            s["school_code"],
            s["cluster"],
            ";".join(s["courses"]),
            ";".join(s["waiting"]),
        ]
        for s in data["students"]
    ]
    courses: list[list[Any]] = [COURSE_HEADERS] + [
        [
            c["course_id"],
            c["cluster"],
            c["school_code"],
            c["capacity"],
            c["enrolled"],
            ";".join(c["students"]),
            ";".join(c["waiting"]),
        ]
        for c in data["courses"]
    ]
    lottery: list[list[Any]] = [
        LOTTERY_HEADERS,
        ["抽签种子 seed", data["seed"]],
        ["抽签规则 lottery_rule", data["lottery_rule"]],
        ["每人上限 max_per_student", data["max_per_student"]],
    ]
    return [("学生", students), ("课程", courses), ("抽签", lottery)]
