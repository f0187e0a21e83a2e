from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from junheng.core.exports import write_csv, write_workbook
from junheng.evaluation.cluster_report import cluster_report, report_year
from junheng.evaluation.rendering import RENDERERS
from junheng.organisations.models import Cluster
from junheng.staffing.subsidy import rural_subsidy, summary_rows, teacher_rows

KINDS = ["cluster", "rural-subsidy"]
FORMATS = {"cluster": sorted(RENDERERS), "rural-subsidy": ["xlsx", "csv"]}
DEFAULT_FORMAT = {"cluster": "docx", "rural-subsidy": "xlsx"}


class Command(BaseCommand):
    help = (
        "Writes a report: a cluster's evaluation (R-E2) as Excel, Word or PDF (`report cluster ID`), or the "
        "school year's rural-subsidy months (R-C11) by district and month as Excel or CSV (`report rural-subsidy "
        "--year 2024`)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("id", type=int, nargs="?", help="the cluster's id (cluster only)")
        parser.add_argument(
            "--format", choices=sorted({f for formats in FORMATS.values() for f in formats}), default=None
        )
        parser.add_argument(
            "--year",
            type=int,
            help="cluster: the monitoring year (default: the cluster's latest); "
            "rural-subsidy: the school year by its starting year (required)",
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=date.fromisoformat,
            help="rural-subsidy: count the months ended by this day (default: today)",
        )
        parser.add_argument("--output", type=Path, help="the file to write (default: KIND-ID-YEAR.FORMAT)")

    def handle(
        self, *args: Any, kind: Any, id: Any, format: Any, year: Any, output: Any, **options: Any
    ) -> None:
        format = format or DEFAULT_FORMAT[kind]
        if format not in FORMATS[kind]:
            raise CommandError(f"{kind} 报告的格式只能是 {'、'.join(FORMATS[kind])}，不能是 {format}。")
        if kind == "rural-subsidy":
            self.rural_subsidy(id, format, year, options.get("as_of"), output)
            return
        if id is None:
            raise CommandError("请给出学区/集团的编号：junheng report cluster ID。")
        cluster = Cluster.objects.select_related("district", "lead_school").filter(pk=id).first()
        if cluster is None:
            raise CommandError(f"没有编号为 {id} 的学区/集团。")
        year = year or report_year(cluster)
        if year is None:
            raise CommandError(f"{cluster} 尚无监测评价结果：请先载入监测成绩并运行 junheng evaluate。")
        output = output or Path(f"cluster-{id}-{year}.{format}")
        output.write_bytes(RENDERERS[format](cluster_report(cluster, year)))
        self.stdout.write(f"已写入 {output}")

    def rural_subsidy(self, id: Any, format: str, year: Any, as_of: Any, output: Any) -> None:
        """The summary (区, 月份, 教师人数, 补贴月数) and the teachers: two sheets of one workbook, or two CSV files
        (the teachers' beside the summary, its name ending in -teachers)."""
        if id is not None:
            raise CommandError("农村补贴报告不按编号：junheng report rural-subsidy --year 2024。")
        if year is None:
            raise CommandError("请用 --year 给出学年的起始年份，例如 --year 2024 即 2024-2025 学年。")
        found = rural_subsidy(year, as_of or timezone.localdate())
        output = output or Path(f"rural-subsidy-{year}.{format}")
        if format == "xlsx":
            with output.open("wb") as stream:
                write_workbook([("按区按月", summary_rows(found)), ("教师", teacher_rows(found))], stream)
            self.stdout.write(f"已写入 {output}")
            return
        teachers = output.with_name(f"{output.stem}-teachers{output.suffix}")
        with output.open("wb") as stream:
            write_csv(summary_rows(found), stream)
        with teachers.open("wb") as stream:
            write_csv(teacher_rows(found), stream)
        self.stdout.write(f"已写入 {output} 和 {teachers}")
