"""`junheng plan layout` in analyst mode: a schools file in, the optimal layout out as JSON or a workbook.

It needs nothing of the platform's database — the problem is the file's — so the console command runs it without
loading the platform's apps, whether or not there is a database (junheng.cli).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from junheng.core.csvfiles import FilesInvalid
from junheng.policy.analyst import Refused

from . import LayoutResult, NoLayout, propose
from .files import read_schools
from .problem import Options


def size(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "--schools",
        type=Path,
        help="CSV: school_code, district, stage, tier, students, lon, lat (and optionally cluster, the current one)",
    )
    parser.add_argument(
        "--min-size",
        dest="min_size",
        type=size,
        help="the fewest schools of a cluster, lead included (default: the district's smallest current cluster, "
        "else 2)",
    )
    parser.add_argument(
        "--max-size",
        dest="max_size",
        type=size,
        help="the most schools of a cluster, lead included (default: the district's largest current cluster, "
        "else no bound)",
    )
    parser.add_argument(
        "--mixed-stages",
        dest="mixed_stages",
        action="store_true",
        help="a cluster may hold schools of other stages than its lead's",
    )
    parser.add_argument("--format", dest="format", choices=["json", "xlsx"], default="json")
    parser.add_argument(
        "-o", "--output", type=Path, help="file to write; standard output when omitted (JSON only)"
    )


def layout_files(arguments: dict[str, Any], stdout: Any) -> LayoutResult:
    """The analyst's run: check the arguments, read the file, lay out, write."""
    if arguments.get("schools") is None:
        raise Refused("请给出 --schools：分析模式需要学校 CSV 文件。")
    if arguments["format"] == "xlsx" and arguments.get("output") is None:
        raise Refused("Excel 文件请用 -o 指定文件名。")
    try:
        schools = read_schools(arguments["schools"])
        result = propose(
            schools,
            Options(
                arguments.get("min_size"), arguments.get("max_size"), bool(arguments.get("mixed_stages"))
            ),
        )
    except (FilesInvalid, NoLayout) as failed:
        raise Refused(str(failed)) from failed
    write_result(result, arguments["format"], arguments.get("output"), stdout)
    return result


def main(argv: list[str]) -> int:
    """`junheng plan layout` without the platform's apps."""
    from django.apps import apps

    apps.populate([])
    parser = argparse.ArgumentParser(prog="junheng plan layout")
    add_arguments(parser)
    try:
        layout_files(vars(parser.parse_args(argv)), sys.stdout)
    except Refused as refused:
        sys.stderr.write(f"{refused}\n")
        return 1
    return 0


def write_result(result: LayoutResult, format: str, output: Path | None, stdout: Any) -> None:
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


CLUSTER_HEADERS = [
    "牵头校 lead",
    "区 district",
    "学段 stage",
    "成员校 members",
    "学校数 size",
    "其中相对薄弱校 weaker",
    "学生数 students",
    "人均距离（公里）mean_km",
    "最远距离（公里）worst_km",
]
MEMBER_HEADERS = ["牵头校 lead", "学校代码 school_code"]
DISTRICT_HEADERS = [
    "区 district",
    "求解状态 status",
    "目标值（学生·公里）objective",
    "下界 bound",
    "最小规模 min_size",
    "最大规模 max_size",
    "学校数 schools",
    "用时（秒）seconds",
]


def workbook_sheets(result: LayoutResult) -> list[tuple[str, list[list[Any]]]]:
    """The layout as a workbook: its clusters, their members one a row, and each district's solution, with
    Chinese headers naming the JSON's keys."""
    clusters: list[list[Any]] = [CLUSTER_HEADERS]
    members: list[list[Any]] = [MEMBER_HEADERS]
    for c in result.clusters:
        size, names = len(c.members), "、".join(c.members)
        clusters.append(
            [c.lead, c.district, c.stage, names, size, c.weaker, c.students, c.mean_km, c.worst_km]
        )
        members += [[c.lead, code] for code in c.members]
    districts: list[list[Any]] = [DISTRICT_HEADERS] + [
        [d.district, d.status, d.objective, d.bound, d.min_size, d.max_size, d.schools, d.seconds]
        for d in result.districts
    ]
    return [("集群", clusters), ("成员校", members), ("求解", districts)]
