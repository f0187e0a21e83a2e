"""What every import shares: errors that name sheet, row and column, and the checks on an uploaded file."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [_("sheet “%(sheet)s”") % {"sheet": self.sheet}] if self.sheet else []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return _("%(where)s: %(message)s") % {"where": _(", ").join(where), "message": self.message}


class ImportFailed(Exception):
    """Raised with every error found; the transaction around the import is rolled back, so nothing is saved."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


SPREADSHEET_SUFFIXES = {".xlsx"}
TEXT_SUFFIXES = {".txt", ".csv"}


EVIDENCE_SUFFIXES = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "pptx"]


def file_size_within_limit(upload: Any) -> None:
    """Model-field validator: an attached file may not exceed the platform's upload limit."""
    from django.core.exceptions import ValidationError

    if upload and upload.size > settings.JUNHENG_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.JUNHENG_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )


def check_upload(name: str, size: int, head: bytes, allowed: set[str], limit: int | None = None) -> str:
    """Refuses files that are too large (beyond `limit` bytes, the platform's upload limit by default) or not of
    an allowed type; returns the lower-case suffix."""
    limit = settings.JUNHENG_MAX_UPLOAD_BYTES if limit is None else limit
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise ImportFailed(
            [
                RowError(
                    name,
                    None,
                    None,
                    _("Only these file types are accepted: %(types)s.")
                    % {"types": "、".join(sorted(allowed))},
                )
            ]
        )
    if size > limit:
        raise ImportFailed(
            [
                RowError(
                    name, None, None, _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
                )
            ]
        )
    if suffix in SPREADSHEET_SUFFIXES and not head.startswith(b"PK"):
        raise ImportFailed([RowError(name, None, None, _("The file is not an Excel workbook (.xlsx)."))])
    return suffix


def open_workbook_checked(stream: IO[bytes], name: str):  # type: ignore[no-untyped-def]
    import openpyxl

    try:
        return openpyxl.load_workbook(stream, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as broken:
        raise ImportFailed(
            [RowError(name, None, None, _("The workbook cannot be read: %(error)s") % {"error": broken})]
        ) from broken
