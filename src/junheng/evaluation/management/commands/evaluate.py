import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from junheng.core.imports import ImportFailed
from junheng.evaluation.analysis import evaluate_files, shipped_standard


class Command(BaseCommand):
    help = (
        "The monitoring metrics of one year: per school, district and cluster (R-E3). With --scores and --schools "
        "it reads an analyst's files and needs no database."
    )
    requires_system_checks: list[str] = []  # an analyst's run touches neither URLs nor models

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--scores", type=Path, help="CSV, Parquet or Excel: year, student_id, school_code, …"
        )
        parser.add_argument(
            "--schools", type=Path, help="CSV or Excel: school_code, district_code, cluster, …"
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", type=Path, help="write here instead of standard output")

    def handle(self, *args, scores, schools, year, format, output, **options):  # type: ignore[no-untyped-def]
        if not (scores and schools):
            raise CommandError("请同时给出 --scores 与 --schools 两个文件。")
        try:
            result = evaluate_files(scores, schools, year, shipped_standard())
        except ImportFailed as failed:
            raise CommandError("\n".join(str(e) for e in failed.errors)) from failed
        if format == "json":
            text = json.dumps(result, ensure_ascii=False)
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        if output is None:
            raise CommandError("Excel 输出请用 --output 指定文件。")
        from junheng.core.exports import write_workbook  # openpyxl only when a workbook is asked for
        from junheng.evaluation.report import metric_sheets

        with output.open("wb") as stream:
            write_workbook(metric_sheets(result), stream)
