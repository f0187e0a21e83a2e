"""`junheng plan rotations` in analyst mode: three CSV files in, the plan out as JSON or a workbook.

The edition's numbers — the quota share R-C2.rotation_share, the backbone share R-C2.backbone_share and the team
minimum R-C4.team_inflow — are those of the edition in force as the commission has edited it when the platform's
database can be read, else those of the shipped editions (junheng.core.editions): analyst mode needs no database.
Where there is none to read (no SQLite file, no DATABASE_URL), `main` runs the files straight from the console
command without loading the platform's apps, as `junheng evaluate --scores` does: that start alone would take
longer than planning a district.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from junheng.core.csvfiles import FilesInvalid
from junheng.core.editions import ThresholdValue, shipped_thresholds_on
from junheng.policy.analyst import Refused

from . import PlanResult, plan
from .files import read_files
from .problem import Options

QUOTA, BACKBONE, TEAM = "R-C2.rotation_share", "R-C2.backbone_share", "R-C4.team_inflow"
KEYS = [QUOTA, BACKBONE, TEAM]


def share(text: str) -> Decimal:
    """A share as given on the command line, exactly: 0.25, or 25%."""
    try:
        value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not (0 <= value <= 1):
        raise ValueError(text)
    return value


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "--teachers", type=Path, help="CSV: staff_number, school_code, subject, stage, backbone, eligible"
    )
    parser.add_argument("--schools", type=Path, help="CSV: school_code, cluster, tier, stages, lon, lat")
    parser.add_argument("--needs", type=Path, help="CSV: school_code, subject, stage, need")
    parser.add_argument(
        "--year",
        type=int,
        help="platform mode: plan the school year (its starting year) from the platform's records",
    )
    parser.add_argument(
        "--cluster", type=int, help="platform mode: one cluster (its id); all model clusters when omitted"
    )
    parser.add_argument(
        "--max-share",
        dest="max_share",
        type=share,
        help="the most a quality school may send, as a share of its eligible teachers (default: the quota share)",
    )
    parser.add_argument(
        "--no-teams", dest="teams", action="store_false", help="no team minimum per weaker school"
    )
    parser.add_argument("--method", choices=["optimal", "greedy"], default="optimal")
    parser.add_argument(
        "--time-limit", dest="time_limit", type=float, default=60.0, help="seconds per cluster (default 60)"
    )
    parser.add_argument("--format", dest="format", choices=["json", "xlsx"], default="json")
    parser.add_argument(
        "-o", "--output", type=Path, help="file to write; standard output when omitted (JSON only)"
    )


def edition_thresholds(database: bool = True) -> dict[str, ThresholdValue]:
    """The edition's numbers: from the database when it can be read (and `database`), else as shipped."""
    today = date.today()
    if database and database_present():
        from django.db import DatabaseError

        try:
            from junheng.policy.selectors import thresholds_in_force

            return thresholds_in_force(today, KEYS)
        except DatabaseError:
            pass
    return shipped_thresholds_on(today, KEYS)


def database_present() -> bool:
    """Whether the platform's apps are loaded and there is a database to ask."""
    from django.apps import apps

    return apps.ready and database_configured()


def database_configured() -> bool:
    """Whether there is a database to ask, without creating one: a SQLite file that is not there is none (an
    in-memory one, as the tests have, is)."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.sqlite3":
        return True
    name = str(config["NAME"] or "")
    return name in ("", ":memory:") or name.startswith("file:") or Path(name).is_file()


def wants_files(argv: list[str]) -> bool:
    return any(arg.split("=")[0] in ("--teachers", "--schools", "--needs") for arg in argv)


def main(argv: list[str]) -> int:
    """`junheng plan rotations` with files and no database: no apps, no database, the shipped edition."""
    from django.apps import apps

    apps.populate([])
    parser = argparse.ArgumentParser(prog="junheng plan rotations")
    add_arguments(parser)
    try:
        plan_files(vars(parser.parse_args(argv)), sys.stdout, database=False)
    except Refused as refused:
        sys.stderr.write(f"{refused}\n")
        return 1
    return 0


def runs_without_database(argv: list[str]) -> bool:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    return wants_files(argv) and not database_configured()


def options_from(arguments: dict[str, Any], thresholds: dict[str, ThresholdValue]) -> Options:
    values = {key: thresholds[key].value for key in KEYS if key in thresholds}
    missing = [key for key in KEYS if values.get(key) is None]
    if missing:
        raise Refused("政策版本缺少轮岗规划所需的参数：" + "、".join(missing))
    quota, backbone, team = (Decimal(str(values[key])) for key in KEYS)
    return Options(
        quota_share=quota,
        backbone_share=backbone,
        team_minimum=int(team),
        max_share=arguments.get("max_share"),
        teams=arguments.get("teams", True),
        method=arguments.get("method") or "optimal",
        time_limit=arguments.get("time_limit"),
    )


def check_arguments(arguments: dict[str, Any]) -> None:
    if arguments["format"] == "xlsx" and arguments.get("output") is None:
        raise Refused("Excel 文件请用 -o 指定文件名。")
    if arguments.get("time_limit") is not None and arguments["time_limit"] <= 0:
        raise Refused("--time-limit 应为正数（秒）。")


def plan_files(arguments: dict[str, Any], stdout: Any, database: bool = True) -> PlanResult:
    """The analyst's run: check the arguments, read the files, plan, write."""
    missing = [f"--{name}" for name in ("teachers", "schools", "needs") if arguments.get(name) is None]
    if missing:
        raise Refused(
            f"请给出 {'、'.join(missing)}：分析模式需要教师、学校、需求三个 CSV 文件"
            "（或用 --year 按平台数据规划）。"
        )
    check_arguments(arguments)
    options = options_from(arguments, edition_thresholds(database))
    try:
        teachers, schools, needs = read_files(arguments["teachers"], arguments["schools"], arguments["needs"])
    except FilesInvalid as invalid:
        raise Refused(str(invalid)) from invalid
    result = plan(teachers, schools, needs, options)
    write_result(result, arguments["format"], arguments.get("output"), stdout)
    return result


def plan_records(arguments: dict[str, Any], stdout: Any, stderr: Any) -> PlanResult:
    """Platform mode: the school year's plan of one cluster or of every model cluster, from the records."""
    from junheng.policy.planning import PlanRefused, plan_year

    if any(arguments.get(name) is not None for name in ("teachers", "schools", "needs")):
        raise Refused("--year 按平台数据规划，不能同时给出 --teachers、--schools、--needs。")
    check_arguments(arguments)
    try:
        result = plan_year(
            arguments["year"],
            arguments.get("cluster"),
            lambda numbers: options_from(arguments, _numbers(numbers)),
            lambda message: stderr.write(message + "\n"),
        )
    except PlanRefused as refused:
        raise Refused(str(refused)) from refused
    write_result(result, arguments["format"], arguments.get("output"), stdout)
    return result


def _numbers(numbers: dict[str, str]) -> dict[str, ThresholdValue]:
    """The edition numbers a plan's inputs keep, as the thresholds `options_from` reads."""
    return {key: ThresholdValue(key, Decimal(value), "gte", "", "", "") for key, value in numbers.items()}


def write_result(result: PlanResult, format: str, output: Path | None, stdout: Any) -> None:
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


CLUSTER_HEADERS = ["集群 cluster", "求解状态 status", "目标值 objective", "上界 bound"]
SCHOOL_HEADERS = [
    "集群 cluster",
    "学校代码 school_code",
    "符合条件教师 eligible",
    "应派 required",
    "已派 sent",
    "其中骨干 backbone_sent",
    "缺口 shortfall",
    "原因 reason",
]
ASSIGNMENT_HEADERS = [
    "集群 cluster",
    "教职工号 staff_number",
    "派出校 from",
    "流入校 to",
    "学科 subject",
    "学段 stage",
    "距离（公里）km",
]


def workbook_sheets(result: PlanResult) -> list[tuple[str, list[list[Any]]]]:
    """The plan as a workbook: its schools, its assignments and its clusters, with Chinese headers naming the
    JSON's keys."""
    clusters = [CLUSTER_HEADERS] + [[c.cluster, c.status, c.objective, c.bound] for c in result.clusters]
    schools: list[list[Any]] = [SCHOOL_HEADERS]
    assignments: list[list[Any]] = [ASSIGNMENT_HEADERS]
    for c in result.clusters:
        schools += [
            [c.cluster, s.school_code, s.eligible, s.required, s.sent, s.backbone_sent, s.shortfall, s.reason]
            for s in c.schools
        ]
        assignments += [
            [c.cluster, a.staff_number, a.from_, a.to, a.subject, a.stage, a.km] for a in c.assignments
        ]
    return [("学校", schools), ("轮岗安排", assignments), ("集群", clusters)]
