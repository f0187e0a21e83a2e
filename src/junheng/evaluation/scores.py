"""Monitoring results in: a scores file checked as a whole by DuckDB, kept as Parquet only when every row holds.

The file is never loaded into Python objects: DuckDB reads it (CSV, Parquet, or an Excel workbook streamed to
CSV) into a scratch database on disk, every check is one SQL query over it, and only the first errors are turned
into messages. A file with any error is refused whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext as _

from junheng.core.imports import ImportFailed, RowError
from junheng.core.tabular import Column, TabularImport, parse_int, parse_text

from .inputs import (
    SCORE_COLUMNS,
    SCORE_HEADERS,
    SCORE_TYPES,
    csv_path,
    quoted,
    require_columns,
    score_columns,
    text_table,
)

LEVELS = ("优秀", "良好", "合格", "待合格", "A", "B", "C", "D")
SCORE_RANGE = (0, 100)  # percentages: the cut score of the edition is read on this scale
GRADES = (1, 9)
ERRORS_SHOWN = 200

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Accepted:
    rows: int
    subjects: list[str]


def _checks(year: int) -> list[tuple[str, str, str]]:
    """(column, kind of error, SQL condition on a row of `raw`) — one query each. `kind` picks the message."""
    low, high = SCORE_RANGE
    levels = ", ".join(f"'{level}'" for level in LEVELS)
    return [
        ("year", "not_whole", "TRY_CAST(year AS INTEGER) IS NULL"),
        ("year", "other_year", f"TRY_CAST(year AS INTEGER) <> {int(year)}"),
        ("student_id", "empty", "COALESCE(TRIM(student_id), '') = ''"),
        ("school_code", "empty", "COALESCE(TRIM(school_code), '') = ''"),
        (
            "school_code",
            "unknown_school",
            "TRIM(school_code) <> '' AND TRIM(school_code) NOT IN (SELECT code FROM allowed_schools)",
        ),
        (
            "grade",
            "grade",
            f"COALESCE(TRY_CAST(grade AS INTEGER) NOT BETWEEN {GRADES[0]} AND {GRADES[1]}, true)",
        ),
        ("subject", "empty", "COALESCE(TRIM(subject), '') = ''"),
        ("score", "not_number", "TRY_CAST(score AS DOUBLE) IS NULL"),
        ("score", "score_range", f"TRY_CAST(score AS DOUBLE) NOT BETWEEN {low} AND {high}"),
        ("level", "level", f"COALESCE(TRIM(level), '') <> '' AND TRIM(level) NOT IN ({levels})"),
    ]


def _message(kind: str, value: Any, year: int, other: Any) -> str:
    low, high = SCORE_RANGE
    messages = {
        "not_whole": lambda: _("“%(value)s” is not a whole number.") % {"value": value},
        "other_year": lambda: (
            _("The year %(value)s is not the year of this upload (%(year)d).")
            % {"value": value, "year": year}
        ),
        "empty": lambda: _("This cell is empty."),
        "unknown_school": lambda: (
            _("“%(value)s” is not a school whose results you may load.") % {"value": value}
        ),
        "grade": lambda: (
            _("“%(value)s” is not a grade from %(low)d to %(high)d.")
            % {"value": value, "low": GRADES[0], "high": GRADES[1]}
        ),
        "not_number": lambda: _("“%(value)s” is not a number.") % {"value": value},
        "score_range": lambda: (
            _("The score %(value)s is outside %(low)d–%(high)d.") % {"value": value, "low": low, "high": high}
        ),
        "level": lambda: (
            _("“%(value)s” is not one of: %(options)s.") % {"value": value, "options": "、".join(LEVELS)}
        ),
        "duplicate": lambda: (
            _("This student's %(subject)s result already stands on row %(first)s.")
            % {"subject": other, "first": value}
        ),
        "loaded": lambda: (
            _("This student's %(subject)s result of this year is already loaded (%(upload)s).")
            % {"subject": other, "upload": value}
        ),
    }
    return messages[kind]()


def check_and_store(
    source: Path,
    name: str,
    year: int,
    school_codes: set[str],
    loaded: dict[str, Path],
    target: Path,
    progress: Progress,
) -> Accepted:
    """Checks every row of `source` and writes them to `target` (Parquet) only if all hold; raises ImportFailed
    with the first errors (by row and column) and their total otherwise. `loaded` names the year's accepted
    uploads, whose students may not appear again."""
    workdir = target.parent
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = workdir / f".{target.stem}.checking.duckdb"
    try:
        # The worker shares the machine with the web server: DuckDB works within 512 MB and spills to the scratch
        # database beyond it.
        with duckdb.connect(str(scratch), config={"memory_limit": "512MB"}) as connection:
            connection.execute("SET enable_progress_bar = false")
            progress(5, _("Reading the file"))
            headers = _read_raw(connection, source, name, workdir)
            codes = [{"code": code} for code in sorted(school_codes)]
            text_table(connection, "allowed_schools", ["code"], codes, workdir)
            progress(40, _("Checking every row"))
            _raise_errors(connection, name, year, loaded, progress, headers)
            progress(85, _("Saving"))
            return _write(connection, target)
    finally:
        scratch.unlink(missing_ok=True)
        Path(f"{scratch}.wal").unlink(missing_ok=True)


def _read_raw(connection: Any, source: Path, name: str, workdir: Path) -> dict[str, str]:
    """Table `raw`: every column as text, in file order, so `rowid + 2` is the row number a person sees. Returns
    the file's header of each column (English or Chinese), for the errors to name it as the file does."""
    suffix = Path(name).suffix.lower()
    if suffix == ".parquet":
        reader = f"read_parquet('{quoted(source)}')"
    else:
        path = csv_path(source, suffix, workdir)
        reader = f"read_csv('{quoted(path)}', header = true, all_varchar = true, strict_mode = false)"
    try:
        present = score_columns(
            row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        )
    except duckdb.Error as broken:
        raise ImportFailed(
            [RowError(name, None, None, _("The file cannot be read: %(error)s") % {"error": broken})]
        ) from broken
    require_columns(name, present)
    if not connection.execute(f"SELECT 1 FROM {reader} LIMIT 1").fetchall():
        raise ImportFailed([RowError(name, None, None, _("The file holds no rows."))])
    columns = [
        f'CAST("{present[c]}" AS VARCHAR) AS {c}' if c in present else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in SCORE_COLUMNS
    ]
    connection.execute(f"CREATE TABLE raw AS SELECT {', '.join(columns)} FROM {reader}")
    return present


def _raise_errors(
    connection: Any,
    name: str,
    year: int,
    loaded: dict[str, Path],
    progress: Progress,
    headers: dict[str, str],
) -> None:
    queries = [
        f"SELECT rowid + 2 AS line, '{column}' AS column_name, '{kind}' AS kind, {column} AS value, NULL AS other "
        f"FROM raw WHERE {condition}"
        for column, kind, condition in _checks(year)
    ]
    # The same student and subject twice in the file: every later row names the first.
    queries.append(
        "SELECT line, 'student_id', 'duplicate', CAST(first AS VARCHAR), subject FROM ("
        "  SELECT rowid + 2 AS line, TRIM(subject) AS subject,"
        "         MIN(rowid + 2) OVER (PARTITION BY TRIM(student_id), TRIM(subject)) AS first FROM raw"
        ") WHERE line > first"
    )
    # …or already in an accepted upload of the year.
    for upload_name, path in loaded.items():
        queries.append(
            f"SELECT r.rowid + 2, 'student_id', 'loaded', '{quoted(upload_name)}', TRIM(r.subject) "
            f"FROM raw r JOIN read_parquet('{quoted(path)}') p "
            f"ON p.student_id = TRIM(r.student_id) AND p.subject = TRIM(r.subject)"
        )
    connection.execute(
        f"CREATE TABLE problems AS {' UNION ALL '.join(queries)}"  # one pass per check, all on disk
    )
    progress(75, _("Checking every row"))
    total = connection.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    if not total:
        return
    first = connection.execute(
        f"SELECT line, column_name, kind, value, other FROM problems ORDER BY line, "
        f"list_position({list(headers)}, column_name) LIMIT {ERRORS_SHOWN}"  # the file's column order
    ).fetchall()
    errors = [
        RowError(name, line, headers.get(column, column), _message(kind, value, year, other))
        for line, column, kind, value, other in first
    ]
    if total > len(errors):
        errors.append(
            RowError(name, None, None, _("…and %(more)d more errors.") % {"more": total - len(errors)})
        )
    raise ImportFailed(errors)


def _write(connection: Any, target: Path) -> Accepted:
    """The checked rows, typed and trimmed, as Parquet; written beside the target and renamed, so a reader never
    sees half a file."""
    partial = target.with_suffix(".partial")
    columns = ", ".join(
        f"CAST(TRIM({c}) AS {SCORE_TYPES[c]}) AS {c}" if c != "level" else "NULLIF(TRIM(level), '') AS level"
        for c in SCORE_COLUMNS
    )
    connection.execute(f"COPY (SELECT {columns} FROM raw) TO '{quoted(partial)}' (FORMAT parquet)")
    rows = connection.execute("SELECT count(*) FROM raw").fetchall()[0][0]
    subjects = [
        r[0] for r in connection.execute("SELECT DISTINCT TRIM(subject) FROM raw ORDER BY 1").fetchall()
    ]
    os.replace(partial, target)
    return Accepted(rows=rows, subjects=subjects)


def score_template() -> bytes:
    """The scores upload's template: the Chinese headers, each with a comment saying what to write."""
    low, high = SCORE_RANGE
    hints = {
        "year": "整数，上传所选的年份，如 2024。",
        "student_id": "学生的唯一编号（如学籍号），同一学生各学科相同。",
        "school_code": "学校代码，须为您可上传成绩的学校。",
        "grade": "1–9 的整数。",
        "subject": "学科名称，如 语文、数学。",
        "score": f"{low}–{high} 的数值。",
        "level": "可留空，或填 " + "、".join(LEVELS) + "。",
    }
    columns = [
        Column(
            SCORE_HEADERS[c], c, parse_int if c in ("year", "grade") else parse_text, c != "level", hints[c]
        )
        for c in SCORE_COLUMNS
    ]
    spec = TabularImport("scores", "监测成绩", columns, build=lambda actor, values: None, with_example=False)
    return spec.template()
