"""Bulk data in: a sheet (Excel or CSV) of records of one kind, every row checked before anything is saved.

A `TabularImport` names its columns (Chinese headers, in order) and how a checked row becomes a model instance.
`run` reads the file, checks every cell and row, and saves all rows in one transaction through `object_save`,
so each row is audited and must lie in the importing user's scope; any error anywhere saves nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .imports import ImportFailed, RowError, check_upload, open_workbook_checked


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


def parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise CellError(_("“%(value)s” is not a date (write 2024-09-01).") % {"value": text})
    try:
        return date(*map(int, match.groups()))
    except ValueError as impossible:
        raise CellError(_("“%(value)s” is not a date (write 2024-09-01).") % {"value": text}) from impossible


def parse_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip())
    except ValueError as bad:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from bad
    if number != int(number) or number < 0:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(number)


def parse_amount(value: Any) -> Decimal | None:
    """Money in yuan, at most two decimals, not negative."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as bad:
        raise CellError(_("“%(value)s” is not an amount of money.") % {"value": value}) from bad
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("“%(value)s” is not an amount of money.") % {"value": value})
    return amount


def parse_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def choice_parser(choices: Any) -> Callable[[Any], str]:
    """Accepts a choice's Chinese label or its code."""

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        for code, label in choices:
            if text in (code, str(label)):
                return code
        raise CellError(
            _("“%(value)s” is not one of: %(options)s.")
            % {"value": text, "options": "、".join(str(label) for _code, label in choices)}
        )

    return parse


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, as in the template
    key: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = True


IMPORTS: dict[str, TabularImport] = {}  # every kind, for the `junheng import` command (register_imports)


@dataclass
class TabularImport:
    kind: str
    title: str
    columns: list[Column]
    # (actor, values by key) -> an unsaved instance; raises CellError(column key, message) through RowProblem
    build: Callable[[Any, dict[str, Any]], Any]
    notes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def template(self) -> bytes:
        from .exports import write_xlsx

        stream = io.BytesIO()
        write_xlsx([self.headers], stream, self.title)
        return stream.getvalue()


def register_imports(*specs: TabularImport) -> dict[str, TabularImport]:
    """Makes the kinds known to `junheng import`; returns them by kind, for the app's import page."""
    found = {spec.kind: spec for spec in specs}
    IMPORTS.update(found)
    return found


class RowProblem(ValueError):
    def __init__(self, column_header: str | None, message: str) -> None:
        super().__init__(message)
        self.column_header = column_header


def read_rows(name: str, data: bytes) -> tuple[str, list[str], Iterator[tuple[int, list[Any]]]]:
    """(sheet name, header, numbered rows) of the first sheet of an .xlsx, or of a UTF-8 .csv."""
    suffix = check_upload(name, len(data), data[:4], {".xlsx", ".csv"})
    if suffix == ".xlsx":
        sheet = open_workbook_checked(io.BytesIO(data), name).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        title = sheet.title
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as bad:
            raise ImportFailed([RowError(name, None, None, _("The text file is not UTF-8."))]) from bad
        rows = [tuple(r) for r in csv.reader(io.StringIO(text))]
        title = name
    if not rows:
        raise ImportFailed([RowError(title, None, None, _("The file holds no rows."))])
    header = [parse_text(h) for h in rows[0]]
    body = (
        (number, list(row)) for number, row in enumerate(rows[1:], start=2) if any(parse_text(c) for c in row)
    )
    return title, header, body


def missing_columns(sheet: str, names: list[str]) -> ImportFailed:
    return ImportFailed(
        [
            RowError(
                sheet,
                1,
                None,
                _("Columns missing from the header: %(names)s. Use the template.")
                % {"names": "、".join(names)},
            )
        ]
    )


def checked_rows(
    columns: list[Column], sheet: str, header: list[str], rows: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """(row number, values by key, the row's errors) for every row; a required column missing from the header
    fails at once."""
    # An optional column may be left out of the sheet altogether (e.g. a sheet made before the column existed).
    missing = [c.header for c in columns if c.required and c.header not in header]
    if missing:
        raise missing_columns(sheet, missing)
    position = {c.header: header.index(c.header) for c in columns if c.header in header}
    for number, cells in rows:
        values: dict[str, Any] = {}
        row_errors = []
        for column in columns:
            at = position.get(column.header, len(cells))
            raw = cells[at] if at < len(cells) else None
            try:
                values[column.key] = column.parse(raw)
            except CellError as bad:
                row_errors.append(RowError(sheet, number, column.header, str(bad)))
                continue
            if column.required and values[column.key] in (None, ""):
                row_errors.append(RowError(sheet, number, column.header, _("This cell is empty.")))
        yield number, values, row_errors


@transaction.atomic
def run_import(spec: TabularImport, actor: Any, name: str, data: bytes) -> int:
    """Checks every row, then saves them all; returns how many were saved. Raises ImportFailed with every error."""
    # Imported here: reading and checking a sheet (above) needs no models, so the analyst's `evaluate` runs it
    # without loading the platform's apps.
    from .services import object_save

    sheet, header, rows = read_rows(name, data)
    errors: list[RowError] = []
    instances: list[tuple[int, Any]] = []
    for number, values, row_errors in checked_rows(spec.columns, sheet, header, rows):
        if not row_errors:
            try:
                instances.append((number, spec.build(actor, values)))
            except RowProblem as problem:
                row_errors.append(RowError(sheet, number, problem.column_header, str(problem)))
        errors.extend(row_errors)
    for number, instance in instances:
        try:
            object_save(
                actor=actor,
                instance=instance,
                reason=_("Imported from %(name)s") % {"name": name},
                check_scope=actor is not None,
            )  # no actor: an operator's command, the whole city
        except ValidationError as invalid:
            errors.append(RowError(sheet, number, None, "；".join(invalid.messages)))
        except PermissionDenied:
            errors.append(
                RowError(sheet, number, None, _("This record is outside the organisations you may edit."))
            )
    if not instances and not errors:
        errors.append(RowError(sheet, None, None, _("The file holds no rows.")))
    if errors:
        raise ImportFailed(errors)  # leaving the atomic block undoes every row saved above
    return len(instances)
