from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from junheng.core.backup import VENDOR_NAMES, BackupRefused, backup_create


class Command(BaseCommand):
    # Like migrate and dbshell: a backup or a restore must work even where the platform's checks would fail.
    requires_system_checks: list[str] = []
    help = _(
        "Writes one archive holding the database (by SQLite's online backup or pg_dump), every uploaded and stored "
        "file, and a manifest with a checksum per member; the platform may keep serving meanwhile."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path", type=Path, help=_("the archive to write, for example junheng-2025-09-01.tar")
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            manifest = backup_create(path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            _("Backup written to %(path)s: the %(vendor)s database and %(files)d files, %(size).1f MB.")
            % {
                "path": path,
                "vendor": VENDOR_NAMES[manifest.vendor],
                "files": manifest.file_count,
                "size": path.stat().st_size / 1024**2,
            }
        )
