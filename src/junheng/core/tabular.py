"""Bulk data in: a sheet (Excel or CSV) of records of one kind, every row checked before anything is saved.

A `TabularImport` names its columns (Chinese headers, in order) and how a checked row becomes a model instance.
`run_import` reads the file, checks every cell and row, and saves all rows in one transaction through
`object_save`, so each row is audited and must lie in the importing user's scope; any error anywhere saves
nothing. The work is bounded whatever the file holds: an .xlsx is checked as an archive and streamed, at most
JUNHENG_MAX_IMPORT_ROWS rows are read, and only the first errors are listed. Pages run it in the background
worker (`junheng.core.jobs`); `junheng import` runs it in its own process.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.dispatch import Signal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import (
    ErrorList,
    ImportFailed,
    RowError,
    check_upload,
    decode_text,
    open_workbook_checked,
    setting,
)

T = TypeVar("T")


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


class ChoiceParser:
    """Accepts a choice's Chinese label or its code (or its label in the language of the page); `options` are the
    Chinese labels, the template's drop-down list."""

    def __init__(self, choices: Any) -> None:
        self.choices = list(choices)

    @property
    def options(self) -> list[str]:
        with translation.override("zh-hans"):
            return [str(label) for _code, label in self.choices]

    def __call__(self, value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        for code, label in self.choices:
            with translation.override("zh-hans"):
                chinese = str(label)
            if text in (code, chinese, str(label)):
                return str(code)
        raise CellError(
            _("“%(value)s” is not one of: %(options)s.")
            % {"value": text, "options": "、".join(str(label) for _code, label in self.choices)}
        )


def choice_parser(choices: Any) -> ChoiceParser:
    return ChoiceParser(choices)


class YesNoParser(ChoiceParser):
    """A flag written 是 or 否 (or yes/no, true/false, 1/0, an Excel TRUE/FALSE), read as True or False; the
    template's drop-down offers 是 and 否."""

    WORDS = {
        **dict.fromkeys(("是", "yes", "true", "1"), True),
        **dict.fromkeys(("否", "no", "false", "0"), False),
    }

    def __init__(self) -> None:
        super().__init__([("是", "是"), ("否", "否")])

    def __call__(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        text = parse_text(value)
        if not text:
            return None
        if text.lower() in self.WORDS:
            return self.WORDS[text.lower()]
        raise CellError(_("“%(value)s” is not one of: %(options)s.") % {"value": text, "options": "是、否"})


parse_yes_no = YesNoParser()


# The template's first data row shows how rows are filled in; a row whose first cell starts so is not imported.
EXAMPLE_MARK = "【示例】"


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, as in the template
    key: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = True
    hint: str = ""  # what to write, for the template's comment (the parser's format and choices are added)
    example: Any = None  # the template's example (by default a choice's first option, or a date)
    field: str = ""  # the model field the column fills, where it is not `key` (a school's name: the pairing)

    @property
    def model_field(self) -> str:
        return self.field or self.key

    @property
    def options(self) -> list[str]:
        """The values a coded column accepts (the template's drop-down), or none."""
        return self.parse.options if isinstance(self.parse, ChoiceParser) else []

    def description(self) -> str:
        """What the template's header comment says: required or not, the format, the allowed values."""
        lines = [_("Required.") if self.required else _("May be left empty.")]
        if self.hint:
            lines.append(self.hint)
        elif self.parse in PARSER_HINTS:
            lines.append(str(PARSER_HINTS[self.parse]))
        if self.options:
            lines.append(_("One of: %(options)s.") % {"options": "、".join(self.options)})
        return "\n".join(lines)

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        if self.options:
            return self.options[0]
        return EXAMPLES.get(self.parse, "")


PARSER_HINTS = {
    parse_date: gettext_lazy("A date, written 2024-09-01."),
    parse_int: gettext_lazy("A whole number."),
    parse_amount: gettext_lazy("An amount in yuan, at most two decimals."),
}
EXAMPLES: dict[Callable[[Any], Any], Any] = {parse_date: "2024-09-01", parse_int: 1, parse_amount: "1000.00"}

# Sent when every row of a sheet is saved, with the actor and the saved instances (policy refreshes the findings
# of the districts touched).
records_imported = Signal()

IMPORTS: dict[str, TabularImport] = {}  # every kind, for the `junheng import` command (register_imports)


@dataclass
class TabularImport:
    kind: str
    title: str
    columns: list[Column]
    # (actor, values by key) -> an unsaved instance; raises CellError(column key, message) through RowProblem
    build: Callable[[Any, dict[str, Any]], Any]
    notes: list[str] = field(default_factory=list)
    # the kind of record its rows add, whose resource says who may import it; None for one record's own sheet
    # (an appraisal form's), which its page guards
    model: type[Model] | None = None
    # actor -> (title, header and rows): what the user may record for (its pairings, its schools), a sheet of the
    # template from which names are copied
    reference: Callable[[Any], tuple[str, list[list[Any]]]] | None = None
    with_example: bool = True  # the example row, for importers that skip it
    # (actor, what build returned) -> the records a row saves, in order; a generator builds each record after the
    # one before is saved (a new cluster, then its membership) and may raise RowProblem. By default the row's one
    # instance, or none where build returned None (the record is already as the row says).
    writes: Callable[[Any, Any], Iterable[Model]] | None = None

    def records(self, actor: Any, built: Any) -> Iterable[Model]:
        if self.writes is not None:
            return self.writes(actor, built)
        return [] if built is None else [built]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def template(self, actor: Any = None) -> bytes:
        """The workbook to fill in, for `actor` (None: an operator, the whole city); see import_templates."""
        from .import_templates import write_template

        stream = io.BytesIO()
        write_template(self, actor, stream)
        return stream.getvalue()


def register_imports(*specs: TabularImport) -> dict[str, TabularImport]:
    """Makes the kinds known to `junheng import`; returns them by kind, for the app's import page."""
    found = {spec.kind: spec for spec in specs}
    IMPORTS.update(found)
    return found


def registered_import(actor: Any, kind: str) -> TabularImport:
    """The sheet of a kind registered by an app: how the background worker finds it again."""
    return IMPORTS[kind]


_RUN_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("junheng_import_memo", default=None)


def remembered(key: Any, find: Callable[[], T]) -> T:
    """Within one run of an import, a lookup made for many rows (the pairing of a school's name) is made once;
    a RowProblem it raised is raised again for every row that asks. Outside a run it is simply made."""
    memo = _RUN_MEMO.get()
    if memo is None:
        return find()
    if key not in memo:
        try:
            memo[key] = (True, find())
        except RowProblem as problem:
            memo[key] = (False, problem)
    found, value = memo[key]
    if not found:
        raise RowProblem(value.column_header, str(value))
    remembered_value: T = value
    return remembered_value


def first_in_file(key: Any) -> bool:
    """Whether this is the first row of the file that says something of `key` (a school, a teacher, …)."""
    seen: set[Any] = remembered("rows seen", set)
    if key in seen:
        return False
    seen.add(key)
    return True


class RowProblem(ValueError):
    def __init__(self, column_header: str | None, message: str) -> None:
        super().__init__(message)
        self.column_header = column_header


# A sheet's columns beyond these are not read (the widest sheet, an appraisal form's items, has a few dozen).
MAX_COLUMNS = 500


def max_import_rows() -> int:
    return setting("JUNHENG_MAX_IMPORT_ROWS", 50_000)


def too_many_rows(sheet: str, limit: int) -> ImportFailed:
    return ImportFailed(
        [
            RowError(
                sheet,
                None,
                None,
                _(
                    "The file holds more than %(limit)s rows of data, the most one import takes; split it into "
                    "files of at most %(limit)s rows."
                )
                % {"limit": f"{limit:,}"},
            )
        ]
    )


def _filled(row: Iterable[Any]) -> bool:
    return any(c is not None and (not isinstance(c, str) or c.strip()) for c in row)


def read_rows(
    name: str, data: bytes, max_rows: int | None = None
) -> tuple[str, list[str], list[tuple[int, list[Any]]]]:
    """(sheet name, header, numbered rows) of the first sheet of an .xlsx, or of a .csv (UTF-8 or GBK); empty rows are
    left out. More than `max_rows` rows of data (JUNHENG_MAX_IMPORT_ROWS by default) are refused as soon as
    the reader reaches them; an .xlsx must pass the archive's checks before it is opened, and is streamed."""
    limit = max_import_rows() if max_rows is None else max_rows
    suffix = check_upload(name, len(data), data[:4], {".xlsx", ".csv"})
    if suffix == ".xlsx":
        title, header_cells, body = _xlsx_rows(name, data, limit)
    else:
        title, header_cells, body = _csv_rows(name, data, limit)
    if header_cells is None:
        raise ImportFailed([RowError(title, None, None, _("The file holds no rows."))])
    return title, [parse_text(h) for h in header_cells], body


def _xlsx_rows(
    name: str, data: bytes, limit: int
) -> tuple[str, list[Any] | None, list[tuple[int, list[Any]]]]:
    workbook = open_workbook_checked(io.BytesIO(data), name, read_only=True)
    try:
        if not workbook.worksheets:
            raise ImportFailed([RowError(name, None, None, _("The file holds no rows."))])
        sheet = workbook.worksheets[0]
        title = sheet.title
        try:
            sheet.reset_dimensions()  # the size a file declares may be wrong: read what is there
            first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
            if first is None:
                return title, None, []
            width = max((i + 1 for i, cell in enumerate(first) if _filled([cell])), default=1)
            body: list[tuple[int, list[Any]]] = []
            # Rows are numbered as the sheet numbers them; missing rows come as empty ones.
            for number, row in enumerate(
                sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
            ):
                if _filled(row):
                    if len(body) == limit:
                        raise too_many_rows(title, limit)
                    body.append((number, list(row)))
        except ImportFailed:
            raise
        except Exception as broken:  # a malformed sheet: whatever the XML parser or openpyxl raises
            raise ImportFailed(
                [RowError(name, None, None, _("The workbook cannot be read: %(error)s") % {"error": broken})]
            ) from broken
        return title, list(first[:width]), body
    finally:
        workbook.close()


def _csv_rows(
    name: str, data: bytes, limit: int
) -> tuple[str, list[Any] | None, list[tuple[int, list[Any]]]]:
    reader = csv.reader(io.StringIO(decode_text(name, data)))
    header: list[Any] | None = None
    body: list[tuple[int, list[Any]]] = []
    try:
        for row in reader:
            if header is None:
                header = row
            elif _filled(row):
                if len(body) == limit:
                    raise too_many_rows(name, limit)
                body.append((reader.line_num, row))
    except csv.Error as broken:
        raise ImportFailed(
            [
                RowError(
                    name,
                    reader.line_num,
                    None,
                    _("The text file cannot be read: %(error)s") % {"error": broken},
                )
            ]
        ) from broken
    return name, header, body


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


def is_example(cells: list[Any]) -> bool:
    return bool(cells) and parse_text(cells[0]).startswith(EXAMPLE_MARK)


def checked_rows(
    columns: list[Column], sheet: str, header: list[str], rows: Iterable[tuple[int, list[Any]]]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """(row number, values by key, the row's errors) for every row but the template's example; a required column
    missing from the header fails at once."""
    # An optional column may be left out of the sheet altogether (e.g. a sheet made before the column existed).
    missing = [c.header for c in columns if c.required and c.header not in header]
    if missing:
        raise missing_columns(sheet, missing)
    position = {c.header: header.index(c.header) for c in columns if c.header in header}
    for number, cells in rows:
        if is_example(cells):
            continue
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


Progress = Callable[[int, str], None]  # (percent, what is being done), from the worker to the job's page


def run_import(
    spec: TabularImport, actor: Any, name: str, data: bytes, progress: Progress | None = None
) -> int:
    """Checks every row, then saves them all in one transaction; returns how many were saved. Raises
    ImportFailed with the first errors (and how many there are) if any row is wrong, having saved nothing.
    `progress` hears how far the check has come (up to 30 %) and when saving begins (saving, one transaction,
    takes most of the time); it is called outside the transaction, so what it writes is seen at once."""
    report = progress or (lambda percent, step: None)
    report(1, _("Reading the file"))
    sheet, header, rows = read_rows(name, data)
    errors = ErrorList()
    instances: list[tuple[int, Any]] = []
    every = max(1, len(rows) // 50)
    token = _RUN_MEMO.set({})
    try:
        for index, (number, values, row_errors) in enumerate(checked_rows(spec.columns, sheet, header, rows)):
            if not row_errors:
                try:
                    instances.append((number, spec.build(actor, values)))
                except RowProblem as problem:
                    row_errors.append(RowError(sheet, number, problem.column_header, str(problem)))
            errors.extend(row_errors)
            if index % every == 0:
                report(
                    2 + 28 * index // len(rows),
                    _("Checking row %(row)d of %(rows)d") % {"row": index + 1, "rows": len(rows)},
                )
    finally:
        _RUN_MEMO.reset(token)
    if not rows:  # a sheet holding only the template's example saves nothing, and that is no error
        errors.add(RowError(sheet, None, None, _("The file holds no rows.")))
    if errors:
        raise errors.failure(order=header)
    report(30, _("Saving %(n)d records") % {"n": len(instances)})
    _save_all(spec, instances, actor, sheet, name, header)
    return len(instances)


@transaction.atomic
def _save_all(
    spec: TabularImport,
    instances: list[tuple[int, Any]],
    actor: Any,
    sheet: str,
    name: str,
    header: list[str],
) -> None:
    """Saves each row's records (see TabularImport.records) through object_save (validated, audited); then checks
    in one query per model and chunk that each lies in the actor's editing scope (no actor: an operator's
    command, the whole city). Any error undoes every row."""
    # Imported here: reading and checking a sheet (above) needs no models, so the analyst's `evaluate` runs it
    # without loading the platform's apps.
    from .choices import Action
    from .services import object_save

    errors = ErrorList()
    saved: dict[type, dict[Any, int]] = {}
    records: list[Any] = []
    reason = _("Imported from %(name)s") % {"name": name}
    for number, built in instances:
        try:
            for instance in spec.records(actor, built):
                try:
                    object_save(actor=actor, instance=instance, reason=reason, check_scope=False)
                except ValidationError as invalid:
                    errors.extend(invalid_row(spec.columns, sheet, number, instance, invalid))
                    break  # the row's later records depend on this one
                saved.setdefault(type(instance), {})[instance.pk] = number
                records.append(instance)
        except RowProblem as problem:
            errors.add(RowError(sheet, number, problem.column_header, str(problem)))
    if actor is not None:
        for model, numbers in saved.items():
            keys = list(numbers)
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                reachable = set(
                    model._default_manager.restrict(actor, Action.CHANGE)  # type: ignore[attr-defined]  # every domain manager is a RestrictedQuerySet's
                    .filter(pk__in=chunk)
                    .values_list("pk", flat=True)
                )
                for key in chunk:
                    if key not in reachable:
                        errors.add(
                            RowError(
                                sheet,
                                numbers[key],
                                None,
                                _("This record is outside the organisations you may edit."),
                            )
                        )
    if errors:
        raise errors.failure(order=header)  # leaving the atomic block undoes every row saved above
    # In the import's transaction: a receiver that queues work does so with transaction.on_commit.
    records_imported.send(sender=TabularImport, actor=actor, instances=records)


def invalid_row(
    columns: list[Column], sheet: str, number: int, instance: Any, invalid: ValidationError
) -> list[RowError]:
    """A row's validation errors, each in the column it concerns: a field's in the field's column, a
    constraint's in the column of the first field it names (结束日期 for "ends after it starts"); errors of no
    column in the row."""
    header_of = {c.model_field: c.header for c in columns}
    found = []
    for field_name, errors in invalid.update_error_dict({}).items():
        for message in ValidationError(errors).messages:
            fields = [field_name] if field_name != NON_FIELD_ERRORS else constraint_fields(instance, message)
            column = next((header_of[f] for f in fields if f in header_of), None)
            found.append(RowError(sheet, number, column, message))
    return found


def constraint_fields(instance: Any, message: str) -> list[str]:
    """The fields named by the model's constraint whose message this is, in the order the constraint names
    them; none if no constraint says so."""
    for constraint in instance._meta.constraints:
        if str(constraint.get_violation_error_message()) == message:
            if getattr(constraint, "fields", None):
                return list(constraint.fields)
            return _condition_fields(getattr(constraint, "condition", None))
    return []


def _condition_fields(node: Any) -> list[str]:
    """The fields a check's condition (a Q) compares, left to right: `end_date__gte=F("start_date")` names
    end_date, then start_date."""
    names: list[str] = []
    for child in getattr(node, "children", []):
        if isinstance(child, tuple):
            lookup, value = child
            names.append(lookup.split("__")[0])
            if isinstance(value, F):
                names.append(value.name.split("__")[0])
        else:
            names += _condition_fields(child)
    return list(dict.fromkeys(names))
