"""Exports: the list page's columns as Excel or CSV, the API's items as JSON — from one queryset, already
filtered and scoped by the caller."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tables2 import BooleanColumn
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .resources import Resource

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def table_values(resource: Resource, queryset: Any) -> Iterator[list[Any]]:
    """The header row, then one row per object, exactly as the list page's table shows them; a yes-or-no column
    says 是 or 否 (the table's own values are "True" and "False")."""
    table = resource.table(queryset, exclude=("actions",))
    # the columns as_values() gives, in its order
    yes_no = [
        isinstance(bound.column, BooleanColumn)
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]
    values = table.as_values()
    yield [_plain(v) for v in next(values)]
    for row in values:
        yield [_plain(v, boolean) for v, boolean in zip(row, yes_no, strict=True)]


def api_items(resource: Resource, queryset: Any) -> list[dict[str, Any]]:
    """The records as the API answers them: through the API's own encoder, so that a time is written as the API
    writes it (to the millisecond)."""
    from ninja.responses import NinjaJSONEncoder

    items = [resource.schema.from_orm(obj).model_dump() for obj in queryset]
    listed: list[dict[str, Any]] = json.loads(json.dumps(items, cls=NinjaJSONEncoder))
    return listed


def _plain(value: Any, boolean: bool = False) -> Any:
    if value is None or value == "—":
        return ""
    if isinstance(value, bool) or boolean:
        return str(YES_NO[str(value)]) if str(value) in YES_NO else ""
    return value if isinstance(value, int | float) else str(value)


YES_NO = {"True": gettext_lazy("Yes"), "False": gettext_lazy("No")}


# Text that a spreadsheet would take for a formula (=, +, -, @) or that hides one (a leading tab or return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralised(value: Any) -> Any:
    """A value as it may go into an exported cell: text that a spreadsheet would evaluate (`=HYPERLINK(…)`,
    `@SUM(…)`, `-1+2`) gets a leading apostrophe, so it is read as the text it is. Numbers, and text that is just
    a number such as "-3.5", are left alone."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub(
        "", value
    )  # control characters no workbook holds (tab and line breaks stay)
    if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_xlsx(rows: Iterable[list[Any]], stream: IO[bytes], title: str) -> None:
    write_workbook([(title, rows)], stream)


def write_workbook(sheets: Iterable[tuple[str, Iterable[list[Any]]]], stream: IO[bytes]) -> None:
    """Sheets of rows, each with its first row in bold and frozen as the header. Every workbook the platform
    writes comes through here: text is written as text cells, never as formulas (see `neutralised`)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        for index, row in enumerate(rows):
            cells = [_cell(sheet, value) for value in row]
            if index == 0:
                for cell in cells:
                    cell.font = bold
                sheet.freeze_panes = "A2"
            sheet.append(cells)
    workbook.save(stream)


def sheet_title(title: str) -> str:
    """A title Excel takes for a sheet: without the characters it refuses, at most 31 characters."""
    return re.sub(r"[\\/*?:\[\]]", "、", title)[:31]


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralised(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl takes any text starting with "=" for a formula; this one is text
    return cell


def write_csv(rows: Iterable[list[Any]], stream: IO[bytes]) -> None:
    """Rows as CSV that Excel opens as UTF-8, with text that would be a formula neutralised."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # BOM: Excel opens it as UTF-8
    csv.writer(text).writerows([neutralised(v) for v in row] for row in rows)
    text.flush()
    text.detach()


def write_export(resource: Resource, queryset: Any, fmt: str, stream: IO[bytes]) -> None:
    if fmt == "json":
        stream.write(json.dumps(api_items(resource, queryset), ensure_ascii=False, indent=2).encode())
    elif fmt == "csv":
        write_csv(table_values(resource, queryset), stream)
    elif fmt == "xlsx":
        write_xlsx(table_values(resource, queryset), stream, resource.label)
    else:
        raise ValueError(fmt)


# What a file name may not hold on Windows, macOS or Linux, nor in a header.
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]+')


def as_attachment(response: HttpResponse, filename: str, fallback: str) -> HttpResponse:
    """Makes the response a download named `filename` (in Chinese: 黄浦演示学区2-2024-评价报告.pdf), written as
    RFC 5987 `filename*=UTF-8''…` for today's browsers, with the ASCII `fallback` (cluster-12-2024.pdf) for
    clients that read only `filename=`. Every file the platform writes for download is named here."""
    name = UNSAFE_IN_FILE_NAMES.sub("_", filename).strip() or fallback
    ascii_name = UNSAFE_IN_FILE_NAMES.sub("_", fallback).encode("ascii", "replace").decode().replace("?", "_")
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


def export_filename(resource: Resource, fmt: str) -> str:
    return f"{resource.label}-{timezone.localdate():%Y%m%d}.{fmt}"


def export_response(resource: Resource, queryset: Any, fmt: str) -> HttpResponse:
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    as_attachment(
        response, export_filename(resource, fmt), f"{resource.name}-{timezone.localdate():%Y%m%d}.{fmt}"
    )
    buffer = io.BytesIO()
    write_export(resource, queryset, fmt, buffer)
    response.write(buffer.getvalue())
    return response
