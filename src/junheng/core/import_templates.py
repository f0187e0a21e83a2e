"""An import's template, the workbook a user fills in: the header row, each header with a comment saying what to
write; a drop-down on every coded column (its list on the hidden sheet 选项); a first row showing an example
(marked 【示例】, which the importer skips); a sheet explaining the rules; and a sheet of what the user may record
for (its pairings or schools), to copy names from. The first sheet is the one imported."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .exports import neutralised, sheet_title

if TYPE_CHECKING:
    from .tabular import TabularImport

OPTIONS_SHEET = "选项"
# Rows of the first sheet that get the drop-downs: more than one import takes (see JUNHENG_MAX_IMPORT_ROWS).
VALIDATED_ROWS = 50_001
BOLD = Font(bold=True)
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")


def write_template(spec: TabularImport, actor: Any, stream: IO[bytes]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(spec.title)
    _write_columns(sheet, spec)
    instructions = workbook.create_sheet(_("Instructions"))
    reference = None
    if spec.reference is not None:
        title, rows = spec.reference(actor)
        reference = workbook.create_sheet(sheet_title(title))
        _write_rows(reference, rows)
    _write_instructions(instructions, spec, reference.title if reference else None)
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    _write_options(sheet, options, spec)
    workbook.save(stream)


def _write_columns(sheet: Any, spec: TabularImport) -> None:
    from .tabular import EXAMPLE_MARK

    for index, column in enumerate(spec.columns, start=1):
        header = sheet.cell(row=1, column=index, value=neutralised(column.header))
        header.font = BOLD
        header.comment = Comment(column.description(), "均衡")
        header.comment.width, header.comment.height = 300, 120
        if spec.with_example:
            example = column.example_value()
            if index == 1:
                example = f"{EXAMPLE_MARK}{example}"
            cell = sheet.cell(row=2, column=index, value=neutralised(example))
            cell.fill = EXAMPLE_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(column.header) + 4)
    sheet.freeze_panes = "A2"


def _write_instructions(sheet: Any, spec: TabularImport, reference: str | None) -> None:
    from .tabular import EXAMPLE_MARK

    rules = [
        _("Fill in the first sheet, one record per row under the header row; keep the header row as it is."),
        _("Dates are written 2024-09-01; a coded column takes one of the values of its drop-down."),
        _(
            "Every row is checked first; if any row is wrong, nothing is saved, and the errors name row and column."
        ),
        *spec.notes,
    ]
    if spec.with_example:
        rules.insert(
            1,
            _(
                "Row 2 is an example: its first cell starts with %(mark)s, and it is not imported. Overwrite it or leave "
                "it."
            )
            % {"mark": EXAMPLE_MARK},
        )
    if reference is not None:
        rules.append(
            _("The sheet “%(sheet)s” lists what you may record for; copy names from it.")
            % {"sheet": reference}
        )
    rows: list[list[Any]] = [[spec.title], *([rule] for rule in rules), [], [_("Column"), _("What to write")]]
    rows += [[column.header, column.description().replace("\n", " ")] for column in spec.columns]
    _write_rows(sheet, rows, header=False)
    sheet.cell(row=1, column=1).font = BOLD
    sheet.cell(row=len(rules) + 3, column=1).font = BOLD
    sheet.cell(row=len(rules) + 3, column=2).font = BOLD
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80


def _write_rows(sheet: Any, rows: list[list[Any]], header: bool = True) -> None:
    for row in rows:
        sheet.append([neutralised(value) for value in row])
    if header and rows:
        for cell in sheet[1]:
            cell.font = BOLD
        sheet.freeze_panes = "A2"
        for index, value in enumerate(rows[0], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(str(value)) + 4)


def _write_options(sheet: Any, options: Any, spec: TabularImport) -> None:
    """Each coded column's values in a column of the hidden sheet, and the column's drop-down pointing there."""
    coded = [(index, column) for index, column in enumerate(spec.columns, start=1) if column.options]
    for place, (index, column) in enumerate(coded, start=1):
        letter = get_column_letter(place)
        options.cell(row=1, column=place, value=neutralised(column.header))
        for row, option in enumerate(column.options, start=2):
            options.cell(row=row, column=place, value=neutralised(option))
        listed = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(column.options) + 1}"
        validation = DataValidation(
            type="list",
            formula1=listed,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error=_("Choose one of the drop-down's values."),
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS}")
        sheet.add_data_validation(validation)
