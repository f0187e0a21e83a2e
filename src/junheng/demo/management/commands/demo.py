import time
from typing import Any

from django.core.management.base import BaseCommand

from junheng.demo.city import SIZES, demo_build, demo_present, demo_remove
from junheng.demo.evaluation import demo_appraisals_build, demo_balance_build, demo_surveys_build
from junheng.demo.programme import demo_work_build
from junheng.demo.results import demo_results_build
from junheng.evaluation.models import AppraisalForm, ResourceRecord, ScoreUpload, Survey


class Command(BaseCommand):
    help = (
        "Builds the deterministic demo city (演示数据): small for trying the platform, city for benchmarks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--replace", action="store_true", help="remove existing demo data first")

    def handle(self, *args: Any, size: str, replace: bool, **options: Any) -> None:
        if demo_present():
            if not replace:
                self.stdout.write("演示数据已存在，未做改动（用 --replace 重建）。")
                return
            demo_remove()
        started = time.perf_counter()
        made = demo_build(size)
        made.update(demo_work_build(size))
        # The evaluation's demo data, as `setup` adds it: where the database holds none of its kind yet.
        for present, build in (
            (ScoreUpload, demo_results_build),
            (ResourceRecord, demo_balance_build),
            (AppraisalForm, demo_appraisals_build),
            (Survey, demo_surveys_build),
        ):
            if not present.objects.exists():
                build()
        self.stdout.write(
            f"演示数据（{size}）已生成：学校 {made['schools']} 所，学区/集团 {made['clusters']} 个，"
            f"成员关系 {made['memberships']} 条，教师 {made['teachers']} 名，区级结对 {made['pairings']} 个，"
            f"现场互动 {made['interactions']} 次，用时 {time.perf_counter() - started:.1f} 秒。"
        )
