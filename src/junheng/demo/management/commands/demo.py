import time
from typing import Any

from django.core.management.base import BaseCommand

from junheng.demo.city import SIZES, demo_build, demo_present, demo_remove
from junheng.demo.programme import demo_work_build


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
        self.stdout.write(
            f"演示数据（{size}）已生成：学校 {made['schools']} 所，学区/集团 {made['clusters']} 个，"
            f"成员关系 {made['memberships']} 条，教师 {made['teachers']} 名，区级结对 {made['pairings']} 个，"
            f"现场互动 {made['interactions']} 次，用时 {time.perf_counter() - started:.1f} 秒。"
        )
