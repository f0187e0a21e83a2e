"""What every import shares: errors that name sheet, row and column, and the checks on an uploaded file: its
size, its type (by extension and by content) and, for a workbook, how far it unpacks."""

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
        if not where:
            return self.message
        return _("%(where)s: %(message)s") % {"where": _(", ").join(where), "message": self.message}


class ImportFailed(Exception):
    """Raised with the errors found; the transaction around the import is rolled back, so nothing is saved.
    `count` is how many were found in all, when only the first are listed (see ErrorList)."""

    def __init__(self, errors: list[RowError], count: int | None = None) -> None:
        self.errors = errors
        self.count = len(errors) if count is None else count
        super().__init__("\n".join(str(e) for e in errors))


MAX_LISTED_ERRORS = 200


class ErrorList:
    """The errors of one import: the first MAX_LISTED_ERRORS kept, the rest only counted, so that a sheet wrong
    in every cell costs no more than one wrong in 200."""

    def __init__(self, limit: int = MAX_LISTED_ERRORS) -> None:
        self.limit = limit
        self.listed: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.listed) < self.limit:
            self.listed.append(error)

    def extend(self, errors: list[RowError]) -> None:
        for error in errors:
            self.add(error)

    def __bool__(self) -> bool:
        return self.count > 0

    def failure(self, order: list[str] | None = None) -> ImportFailed:
        """The errors as listed to the user: the first ones in row order, within a row in the order of the
        columns `order` names (the sheet's header), then one line saying how many more there are."""
        place = {header: index for index, header in enumerate(order or [])}
        errors = sorted(
            self.listed,
            key=lambda e: (e.row or 0, -1 if e.column is None else place.get(e.column, len(place))),
        )
        if self.count > len(self.listed):
            more = self.count - len(self.listed)
            errors.append(RowError("", None, None, _("%(n)d more errors are not listed.") % {"n": more}))
        return ImportFailed(errors, count=self.count)


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


def decode_text(name: str, data: bytes) -> str:
    """A text file's content: UTF-8 (with or without the mark Excel puts first), or else GB18030, the superset of
    GBK in which Chinese Excel saves "CSV" by default."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise undecodable(name)


def undecodable(name: str) -> ImportFailed:
    return ImportFailed(
        [
            RowError(
                name, None, None, _("The text file is neither UTF-8 nor GBK/GB18030; save it as CSV (UTF-8).")
            )
        ]
    )


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_workbook_archive(stream: IO[bytes], name: str) -> None:
    """Before a workbook is opened: it is a zip archive holding a workbook, and it unpacks to no more than
    JUNHENG_MAX_UNPACKED_BYTES at no more than JUNHENG_MAX_COMPRESSION_RATIO times its packed size (a few KB that
    unpack to gigabytes would hold the worker). The sizes are the archive's own; reading never goes beyond
    them. The stream is left where it was."""
    limit = setting("JUNHENG_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
    ratio = setting("JUNHENG_MAX_COMPRESSION_RATIO", 100)
    position = stream.tell()
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as broken:
        raise ImportFailed(
            [RowError(name, None, None, _("The file is not an Excel workbook (.xlsx)."))]
        ) from broken
    finally:
        stream.seek(position)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportFailed([RowError(name, None, None, _("The file is not an Excel workbook (.xlsx)."))])
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > limit:
        raise ImportFailed(
            [
                RowError(
                    name,
                    None,
                    None,
                    _("The workbook unpacks to more than %(mb)d MB; it cannot be imported.")
                    % {"mb": limit // (1024 * 1024)},
                )
            ]
        )
    if unpacked > ratio * max(packed, 1):
        raise ImportFailed(
            [
                RowError(
                    name,
                    None,
                    None,
                    _(
                        "The workbook unpacks to more than %(ratio)d times its size, as no spreadsheet does; "
                        "it cannot be imported."
                    )
                    % {"ratio": ratio},
                )
            ]
        )


def open_workbook_checked(stream: IO[bytes], name: str, read_only: bool = False) -> Any:
    """The workbook, after the archive's checks; `read_only` streams its rows (a whole sheet is never held)."""
    import openpyxl

    check_workbook_archive(stream, name)
    try:
        return openpyxl.load_workbook(stream, read_only=read_only, data_only=True)
    except Exception as broken:  # whatever a malformed archive raises inside openpyxl (zip, XML, values)
        raise ImportFailed(
            [RowError(name, None, None, _("The workbook cannot be read: %(error)s") % {"error": broken})]
        ) from broken


def stored(relative: str) -> Path:
    """Where a file kept under MEDIA_ROOT lies."""
    return Path(settings.MEDIA_ROOT) / relative


def keep_upload(file: Any, relative: str) -> None:
    """Writes an uploaded file under MEDIA_ROOT chunk by chunk (it may be larger than memory)."""
    target = stored(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
