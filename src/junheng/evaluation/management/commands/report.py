from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from junheng.evaluation.cluster_report import cluster_report, report_year
from junheng.evaluation.rendering import RENDERERS
from junheng.organisations.models import Cluster


class Command(BaseCommand):
    help = "Writes a cluster's evaluation report (R-E2) as Excel, Word or PDF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["cluster"])
        parser.add_argument("id", type=int, help="the cluster's id")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="docx")
        parser.add_argument("--year", type=int, help="the monitoring year (default: the cluster's latest)")
        parser.add_argument("--output", type=Path, help="the file to write (default: cluster-ID-YEAR.FORMAT)")

    def handle(
        self, *args: Any, kind: Any, id: Any, format: Any, year: Any, output: Any, **options: Any
    ) -> None:
        cluster = Cluster.objects.select_related("district", "lead_school").filter(pk=id).first()
        if cluster is None:
            raise CommandError(f"没有编号为 {id} 的学区/集团。")
        year = year or report_year(cluster)
        if year is None:
            raise CommandError(f"{cluster} 尚无监测评价结果：请先载入监测成绩并运行 junheng evaluate。")
        output = output or Path(f"cluster-{id}-{year}.{format}")
        output.write_bytes(RENDERERS[format](cluster_report(cluster, year)))
        self.stdout.write(f"已写入 {output}")
