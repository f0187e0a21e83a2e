from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from junheng.policy.schedule import daily_runs


class Command(BaseCommand):
    help = (
        "The daily check: runs every edition that has begun (S1, S2) for the whole city as of the day, unless it "
        "ran already that day, so the board, the pairing pages and the reminders read fresh findings."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", type=date.fromisoformat, default=date.today())

    def handle(self, *args: Any, as_of: date, **options: Any) -> None:
        runs = daily_runs(as_of)
        for run in runs:
            self.stdout.write(f"已检查 {run.edition.code}（截至 {as_of}）：{run.findings.count()} 条结果。")
        if not runs:
            self.stdout.write(f"{as_of} 的全市检查已完成，无需重复。")
