from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from junheng.core.imports import ImportFailed, check_upload
from junheng.core.tabular import IMPORTS, run_import


class Command(BaseCommand):
    help = (
        "Imports records of one kind from .xlsx or .csv (formats in docs/import-formats.md); all or nothing, "
        "within the same limits as the import pages (rows, size, unpacked size)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTS))
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--user", help="import as this user, within their scope (default: the whole city)"
        )
        parser.add_argument(
            "--template", action="store_true", help="write the kind's template to PATH instead"
        )

    def handle(self, *args: Any, kind: Any, path: Any, user: Any, template: Any, **options: Any) -> None:
        spec = IMPORTS[kind]
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有名为 {user} 的用户。")
        if template:  # with the pairings or schools the user records for
            path.write_bytes(spec.template(actor))
            self.stdout.write(f"模板已写入 {path}")
            return
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as handle:
            head = handle.read(4)
        try:
            check_upload(path.name, path.stat().st_size, head, {".xlsx", ".csv"})  # before the file is read
            saved = run_import(spec, actor, path.name, path.read_bytes())
        except ImportFailed as failed:
            raise CommandError(
                f"未保存任何数据。共 {failed.count} 处错误：\n" + "\n".join(str(e) for e in failed.errors)
            ) from failed
        self.stdout.write(f"已导入{spec.title} {saved} 条。")
