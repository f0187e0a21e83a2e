import os
import secrets
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from junheng.demo.accounts import check_demo_password, ensure_demo_accounts
from junheng.demo.city import demo_build, demo_present
from junheng.demo.evaluation import demo_appraisals_build, demo_balance_build, demo_surveys_build
from junheng.demo.programme import demo_work_build
from junheng.demo.results import demo_results_build
from junheng.evaluation.models import AppraisalForm, ResourceRecord, ScoreUpload, Survey


class Command(BaseCommand):
    help = (
        "Prepares a database to serve: the secret key file (unless JUNHENG_SECRET_KEY is set), migrations, static "
        "files, the reference data, the official roster, the small demo city and the demo accounts. Safe to run "
        "again: it adds what is missing and keeps all data."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--skip-static", action="store_true", help="do not collect static files")

    def handle(self, *args: Any, skip_static: bool = False, **options: Any) -> None:
        try:
            check_demo_password()
        except ValidationError as refused:
            raise CommandError(
                "环境变量 JUNHENG_DEMO_PASSWORD 给出的演示账号密码不符合密码要求："
                + "；".join(refused.messages)
            ) from None
        if not os.environ.get("JUNHENG_SECRET_KEY") and write_secret_key(
            Path(settings.JUNHENG_SECRET_KEY_FILE)
        ):
            self.stdout.write(f"已生成密钥文件 {settings.JUNHENG_SECRET_KEY_FILE}（仅所有者可读）。")
        call_command("migrate", verbosity=0)
        if not skip_static:
            call_command("collectstatic", interactive=False, verbosity=0)
        roster = files("junheng.programmes") / "data" / "roster-2021-notice.txt"
        call_command("import_roster", str(roster), stdout=self.stdout)
        if not demo_present():
            made = demo_build("small")
            demo_work_build("small")
            self.stdout.write(f"演示数据已生成：学校 {made['schools']} 所，学区/集团 {made['clusters']} 个。")
        if not ScoreUpload.objects.exists():
            rows = demo_results_build()
            self.stdout.write(f"演示监测成绩已载入并评估：{rows} 行。")
        if not ResourceRecord.objects.exists():
            resources, indicators = demo_balance_build()
            self.stdout.write(f"演示资源配置 {resources} 条、绿色指标 {indicators} 条已载入。")
        if not AppraisalForm.objects.exists():
            self.stdout.write(f"演示校长考评 {demo_appraisals_build()} 条已载入。")
        if not Survey.objects.exists():
            self.stdout.write(f"演示满意度答卷 {demo_surveys_build()} 份已载入。")
        call_command("compliance_schedule", stdout=self.stdout)  # no one starts from an empty board
        created, password = ensure_demo_accounts()
        if created:
            self.stdout.write("演示账号：" + "、".join(a.username for a in created))
        if password:
            self.stdout.write(self.style.WARNING(f"演示账号的初始密码（只显示这一次）：{password}"))


def write_secret_key(path: Path) -> bool:
    """Writes a new random key to `path`, readable by its owner only, unless the file exists. Every process started
    afterwards (the web server's workers, the background worker) reads the same key from it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(secrets.token_urlsafe(50) + "\n")
    return True
