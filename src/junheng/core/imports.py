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


# What a file of each type starts with; Office files are zip archives holding their content types and a folder.
FILE_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".parquet": b"PAR1",
}
OFFICE_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


def content_matches_suffix(stream: IO[bytes], suffix: str) -> bool:
    """Whether the content is of the type the (lower-case, dotted) suffix names; types without a known signature
    (text) pass. The stream is read from its start and left where it was."""
    position = stream.tell()
    try:
        stream.seek(0)
        if suffix in OFFICE_FOLDERS:
            try:
                with zipfile.ZipFile(stream) as archive:
                    names = archive.namelist()
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
                return False
            return "[Content_Types].xml" in names and any(n.startswith(OFFICE_FOLDERS[suffix]) for n in names)
        signature = FILE_SIGNATURES.get(suffix)
        return signature is None or stream.read(len(signature)) == signature
    finally:
        stream.seek(position)


def content_mismatch(suffix: str) -> str:
    return _("The file's content does not match its extension %(suffix)s.") % {"suffix": suffix}


def file_content_matches_extension(upload: Any) -> None:
    """Model-field validator: a newly attached file must be what its extension says (an HTML page named .pdf is
    refused). A file already stored is not read again."""
    from django.core.exceptions import ValidationError
    from django.db.models.fields.files import FieldFile

    if not upload or getattr(upload, "_committed", False):
        return
    stream = upload.file if isinstance(upload, FieldFile) else upload
    suffix = Path(upload.name or "").suffix.lower()
    if not content_matches_suffix(stream, suffix):
        raise ValidationError(content_mismatch(suffix), code="content_mismatch")


def file_size_within_limit(upload: Any) -> None:
    """Model-field validator of a newly attached file: not beyond the platform's upload limit, and its content
    of the type its extension names. The fields name this one validator; checking the content here covers every
    file field, on pages and through the API alike, without changing the fields themselves. A file already
    stored was checked when it came and is not read again (a record whose file is gone can still be edited)."""
    from django.core.exceptions import ValidationError

    if not upload or getattr(upload, "_committed", False):
        return
    if upload.size > settings.JUNHENG_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.JUNHENG_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    file_content_matches_extension(upload)


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
    signature = FILE_SIGNATURES.get(suffix)
    seen = min(len(head), len(signature or b""))  # callers pass the first few bytes
    if signature is not None and (not seen or head[:seen] != signature[:seen]):
        raise ImportFailed([RowError(name, None, None, content_mismatch(suffix))])
    return suffix


def open_workbook_checked(stream: IO[bytes], name: str):  # type: ignore[no-untyped-def]
    import openpyxl

    try:
        return openpyxl.load_workbook(stream, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as broken:
        raise ImportFailed(
            [RowError(name, None, None, _("The workbook cannot be read: %(error)s") % {"error": broken})]
        ) from broken
