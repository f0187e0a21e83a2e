from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from junheng.core.imports import ImportFailed
from junheng.evaluation.models import UploadStatus
from junheng.evaluation.services import receive_upload, run_upload
from junheng.organisations.models import District


class Command(BaseCommand):
    help = (
        "Loads a year of monitoring results (CSV, XLSX or Parquet: year, student_id, school_code, grade, subject, "
        "score, level) for the whole city or one district; every row is checked and any error loads nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--district", help="a district's code (310101…); the whole city when left out")

    def handle(self, *args: Any, path: Any, year: Any, district: Any, **options: Any) -> None:
        where = None
        if district:
            where = District.objects.filter(code=district).first()
            if where is None:
                raise CommandError(_("There is no district with the code %(code)s.") % {"code": district})
        try:
            with path.open("rb") as handle:
                # Checked here rather than by the worker: the command waits for its answer.
                upload = receive_upload(
                    actor=None, year=year, district=where, file=File(handle, name=path.name), queue=False
                )
        except (ImportFailed, OSError) as refused:
            raise CommandError(str(refused)) from refused
        upload = run_upload(upload.pk, echo=lambda percent, step: self.stderr.write(f"{percent:3d}% {step}"))
        if upload.status == UploadStatus.FAILED:
            raise CommandError("\n".join(upload.errors))
        self.stdout.write(
            _("Loaded %(rows)d rows of %(year)d from %(name)s.")
            % {"rows": upload.rows, "year": year, "name": upload.name}
        )
