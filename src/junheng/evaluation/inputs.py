"""The analyst's files: a schools list (checked row by row, small) and a scores file that DuckDB reads where it lies
(CSV or Parquet; an Excel workbook is first streamed to CSV)."""

from __future__ import annotations

import codecs
import csv
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.imports import ImportFailed, RowError, undecodable
from junheng.core.tabular import CellError, Column, checked_rows, missing_columns, parse_text, read_rows

SCORE_COLUMNS = ("year", "student_id", "school_code", "grade", "subject", "score", "level")
SCORE_TYPES = {
    "year": "INTEGER",
    "student_id": "VARCHAR",
    "school_code": "VARCHAR",
    "grade": "INTEGER",
    "subject": "VARCHAR",
    "score": "DOUBLE",
    "level": "VARCHAR",
}
SCORE_SUFFIXES = {".csv", ".parquet", ".xlsx"}
# The Chinese header of each column (the template's); a file may use these or the English names above.
SCORE_HEADERS = {
    "year": "年份",
    "student_id": "学生编号",
    "school_code": "学校代码",
    "grade": "年级",
    "subject": "学科",
    "score": "成绩",
    "level": "等第",
}
SCORE_NAMES = {
    **{c: c for c in SCORE_COLUMNS},
    **{header: column for column, header in SCORE_HEADERS.items()},
    "学籍号": "student_id",
    "分数": "score",
    "等级": "level",
}


def score_columns(header: Any) -> dict[str, str]:
    """The agreed column each header of the file stands for, by its English or Chinese name: column → header."""
    found: dict[str, str] = {}
    for name in header:
        column = SCORE_NAMES.get(str(name).strip().lower()) or SCORE_NAMES.get(str(name).strip())
        if column is not None:
            found.setdefault(column, name)
    return found


def _word_parser(words: dict[str, str]) -> Any:
    """Accepts a Chinese or an English word for each code (小学 or primary → primary)."""

    def parse(value: Any) -> str:
        text = parse_text(value)
        if text == "" or text.lower() in words:
            return words.get(text.lower(), "")
        raise CellError(
            _("“%(value)s” is not one of: %(options)s.") % {"value": text, "options": "、".join(words)}
        )

    return parse


STAGES = {"小学": "primary", "初中": "junior", "primary": "primary", "junior": "junior"}
TIERS = {"优质": "quality", "薄弱": "weaker", "quality": "quality", "weaker": "weaker"}

SCHOOL_COLUMNS = [
    Column("school_code", "school_code"),
    Column("school_name", "school_name", required=False),
    Column("district_code", "district_code"),
    Column("cluster", "cluster", required=False),
    Column("stage", "stage", _word_parser(STAGES), required=False),
    Column("tier", "tier", _word_parser(TIERS), required=False),
]


def read_schools(path: Path) -> list[dict[str, Any]]:
    """Every row of the schools file, checked; raises ImportFailed naming each bad row and column."""
    sheet, header, rows = read_rows(path.name, path.read_bytes())
    schools: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for number, values, row_errors in checked_rows(SCHOOL_COLUMNS, sheet, header, rows):
        if values.get("school_code") in seen:
            row_errors.append(RowError(sheet, number, "school_code", _("This school is listed twice.")))
        seen.add(values["school_code"])
        errors += row_errors
        schools.append(values)
    if errors:
        raise ImportFailed(errors)
    return schools


MEMBER_COLUMNS = ("cluster", "school_code", "district_code", "tier")


def register_schools(
    connection: Any, schools: list[dict[str, Any]], workdir: Path, members: list[dict[str, Any]] | None = None
) -> None:
    """The tables `schools` and `cluster_members` in DuckDB. Without `members`, each school with a cluster is its
    member, with the school's tier and district (the analyst's file)."""
    if members is None:
        members = [school for school in schools if school.get("cluster")]
    text_table(connection, "schools", [c.key for c in SCHOOL_COLUMNS], schools, workdir)
    text_table(connection, "cluster_members", list(MEMBER_COLUMNS), members, workdir)


def text_table(
    connection: Any, name: str, columns: list[str], rows: list[dict[str, Any]], workdir: Path
) -> None:
    """A table of text columns, through a CSV file (binding thousands of parameters is slow)."""
    path = workdir / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([row.get(c) or None for c in columns] for row in rows)
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    connection.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv('{quoted(path)}', header = true, "
        f"types = {{{types}}})"
    )


def scores_source(path: Path, workdir: Path) -> str:
    """A DuckDB table expression reading the scores file with the agreed column types; `level` may be absent."""
    suffix = path.suffix.lower()
    if suffix not in SCORE_SUFFIXES:
        raise ImportFailed(
            [
                RowError(
                    path.name,
                    None,
                    None,
                    _("Only these file types are accepted: %(types)s.")
                    % {"types": "、".join(sorted(SCORE_SUFFIXES))},
                )
            ]
        )
    if suffix == ".parquet":
        return f"read_parquet('{quoted(path)}')"
    path = csv_path(path, suffix, workdir)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = [h.strip() for h in next(csv.reader(handle), [])]
    types = ", ".join(f"'{quoted(h)}': '{SCORE_TYPES[c]}'" for c, h in score_columns(header).items())
    return f"read_csv('{quoted(path)}', header = true, types = {{{types}}})"


def scores_select(connection: Any, source: str, name: str) -> str:
    """SELECT of the agreed columns from `source`, named in English or Chinese, with NULL for an absent `level`."""
    present = score_columns(
        row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    )
    require_columns(name, present)
    columns = [
        f'CAST("{present[c]}" AS {SCORE_TYPES[c]}) AS {c}'
        if c in present
        else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in SCORE_COLUMNS
    ]
    return f"SELECT {', '.join(columns)} FROM {source}"


def require_columns(name: str, header: Any) -> None:
    missing = [f"{c}（{SCORE_HEADERS[c]}）" for c in SCORE_COLUMNS if c != "level" and c not in header]
    if missing:
        raise missing_columns(name, missing)


def quoted(value: str | Path) -> str:
    """A value to put between single quotes in DuckDB's SQL."""
    return str(value).replace("'", "''")


def csv_path(path: Path, suffix: str, workdir: Path) -> Path:
    """A UTF-8 CSV file DuckDB can read: the file itself, a GBK file (what Chinese Excel saves) re-encoded, or
    an Excel workbook's first sheet streamed to CSV."""
    return _xlsx_as_csv(path, workdir) if suffix == ".xlsx" else _as_utf8(path, workdir)


def _as_utf8(path: Path, workdir: Path) -> Path:
    """The file if it is UTF-8; otherwise a UTF-8 copy of it read as GB18030. Both are streamed."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return path
    except UnicodeDecodeError:
        pass
    target = Path(tempfile.mkstemp(suffix=".csv", dir=workdir)[1])
    try:
        with (
            path.open(encoding="gb18030", newline="") as source,
            target.open("w", encoding="utf-8", newline="") as out,
        ):
            shutil.copyfileobj(source, out, 1 << 20)
    except UnicodeDecodeError as bad:
        target.unlink(missing_ok=True)
        raise undecodable(path.name) from bad
    return target


def _xlsx_as_csv(path: Path, workdir: Path) -> Path:
    """Streams the first sheet of a workbook to a CSV file DuckDB can read."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    target = Path(tempfile.mkstemp(suffix=".csv", dir=workdir)[1])
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in sheet.iter_rows():
            writer.writerow(_cell_text(cell) for cell in row)
    return target


def _cell_text(cell: Any) -> Any:
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell
