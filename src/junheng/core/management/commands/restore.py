from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from junheng.core.backup import BackupRefused, Manifest, backup_restore


class Command(BaseCommand):
    # Like migrate and dbshell: a backup or a restore must work even where the platform's checks would fail.
    requires_system_checks: list[str] = []
    help = _(
        "Replaces the database and the uploaded files with those of an archive written by `junheng backup`, after "
        "checking all of it; a refused or failed restore changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help=_("the archive written by junheng backup"))
        parser.add_argument(
            "--noinput",
            "--no-input",
            "--yes",
            action="store_false",
            dest="interactive",
            help=_("do not ask for confirmation"),
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=20.0,
            help=_("seconds to wait for other connections to let go of the database (default 20)"),
        )

    def handle(self, *args: Any, path: Path, interactive: bool, wait: float, **options: Any) -> None:
        try:
            restored = backup_restore(
                path, confirm=self.confirmed if interactive else lambda _m: True, wait=wait
            )
        except BackupRefused as refused:
            raise CommandError(str(refused)) from refused
        if restored is None:
            raise CommandError(_("Restore cancelled; nothing has been changed."))
        self.stdout.write(
            _("Restored the backup of %(created)s: the database and %(files)d files.")
            % {"created": restored.manifest.created_local, "files": restored.manifest.file_count}
        )
        if restored.pending:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup is older than this version of the platform: run junheng migrate before serving."
                    )
                )
            )

    def confirmed(self, manifest: Manifest) -> bool:
        self.stdout.write(
            _(
                "This replaces the database %(database)s and the files in %(media)s with the backup of %(created)s "
                "(%(files)d files). What they hold now is lost."
            )
            % {
                "database": _database_name(),
                "media": settings.MEDIA_ROOT,
                "created": manifest.created_local,
                "files": manifest.file_count,
            }
        )
        try:
            return input(_("Type 'yes' to continue, or 'no' to cancel: ")).strip() == "yes"
        except EOFError:  # no one to answer
            return False


def _database_name() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(database["NAME"])
    return f"{database['NAME']}@{database.get('HOST') or 'localhost'}"
