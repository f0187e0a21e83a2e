"""`junheng evaluate`: its options and the analyst's run over files.

An analyst's run (`--scores` and `--schools`) needs neither the database nor the platform's apps, and loading
them would take longer than the metrics themselves; `main` therefore runs it straight from the console command,
with only the translations set up. Without files, the management command evaluates what the platform holds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_arguments(parser: Any) -> None:
    parser.add_argument("--scores", type=Path, help="CSV, Parquet or Excel: year, student_id, school_code, …")
    parser.add_argument("--schools", type=Path, help="CSV or Excel: school_code, district_code, cluster, …")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--format", choices=["json", "xlsx"], default="json")
    parser.add_argument("--output", type=Path, help="write here instead of standard output")


def wants_files(argv: list[str]) -> bool:
    return any(arg.split("=")[0] in ("--scores", "--schools") for arg in argv)


class Refused(Exception):
    """The run cannot go ahead; the message says why, in Chinese."""


def evaluate_files_to(options: dict[str, Any], stdout: Any) -> None:
    from django.utils.translation import gettext as _

    from junheng.core.imports import ImportFailed

    from .analysis import evaluate_files, shipped_standard

    scores, schools = options.get("scores"), options.get("schools")
    if not (scores and schools):
        raise Refused(_("Give both --scores and --schools."))
    check_output(options)
    try:
        result = evaluate_files(scores, schools, options["year"], shipped_standard(options["year"]))
    except ImportFailed as failed:
        raise Refused("\n".join(str(e) for e in failed.errors)) from failed
    write_result(result, options["format"], options.get("output"), stdout)


def check_output(options: dict[str, Any]) -> None:
    """Before any work: a workbook cannot go to standard output."""
    from django.utils.translation import gettext as _

    if options["format"] == "xlsx" and options.get("output") is None:
        raise Refused(_("Name the Excel file with --output."))


def write_result(result: dict[str, Any], format: str, output: Path | None, stdout: Any) -> None:
    if format == "json":
        text = json.dumps(result, ensure_ascii=False)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            stdout.write(text + "\n")
        return
    from junheng.core.exports import write_workbook  # openpyxl only when a workbook is asked for

    from .report import metric_sheets

    assert output is not None
    with output.open("wb") as stream:
        write_workbook(metric_sheets(result), stream)


def main(argv: list[str]) -> int:
    """The analyst's run from the console: translations from the platform's locale, no apps, no database."""
    from django.apps import apps
    from django.conf import settings
    from django.utils import translation

    apps.populate([])  # the gettext catalogues need a ready registry; the metrics need no models
    translation.activate(settings.LANGUAGE_CODE)
    parser = argparse.ArgumentParser(prog="junheng evaluate")
    add_arguments(parser)
    try:
        evaluate_files_to(vars(parser.parse_args(argv)), sys.stdout)
    except Refused as refused:
        sys.stderr.write(f"{refused}\n")
        return 1
    return 0
