from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from junheng.core.imports import ImportFailed
from junheng.programmes.roster import read_roster_file, roster_import, round_fields_from_notice


class Command(BaseCommand):
    help = _(
        "Imports the official roster of the hand-in-hand plan from the notice (.txt) or a workbook (.xlsx)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        round_fields = {}
        if path.suffix.lower() == ".txt":
            round_fields = round_fields_from_notice(path.read_text(encoding="utf-8-sig", errors="replace"))
        try:
            summary = roster_import(actor=None, tables=read_roster_file(path), round_fields=round_fields)
        except ImportFailed as failed:
            raise CommandError(
                _("Nothing was saved. %(n)d errors:") % {"n": len(failed.errors)}
                + "\n"
                + "\n".join(str(e) for e in failed.errors)
            ) from failed
        self.stdout.write(
            _("Roster imported: %(created)d pairings created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
        )
