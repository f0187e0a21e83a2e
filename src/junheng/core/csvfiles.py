"""An analyst's CSV files, read the same way by every analyst-mode command (the rotation planner, the course
allocation): UTF-8 (with or without Excel's mark) or GB18030, a header row naming the columns, and every error naming
the file, the row (as a spreadsheet numbers it: the header is row 1) and the column, in Chinese; all of a file's
errors are reported at once, up to 200. Plain Python, no Django: analyst mode runs without the platform's apps."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

MAX_ERRORS = 200


class FilesInvalid(Exception):
    """The files cannot be planned; `errors` lists why, each naming file, row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"……共 {len(errors)} 处错误，仅列出前 {MAX_ERRORS} 处")
        super().__init__("\n".join(shown))


class Rows:
    """One file's rows as dictionaries, with its errors. UTF-8 (with or without Excel's mark) or GB18030; a row is
    numbered as a spreadsheet numbers it (the header is row 1); blank rows are skipped. `optional` columns are
    read when the header has them (their value is then "" in a row that lacks it)."""

    def __init__(
        self, path: Path, columns: tuple[str, ...], errors: list[str], optional: tuple[str, ...] = ()
    ) -> None:
        self.name = path.name
        self.columns = columns
        self.errors = errors
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.header: list[str] = []
        self.readable = False  # the file could be read and has its columns
        try:
            data = path.read_bytes()
        except OSError as failed:
            errors.append(f"{self.name}：无法读取文件（{failed.strerror}）")
            return
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            errors.append(f"{self.name}：文件不是 UTF-8 或 GB18030 编码的文本")
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        if not header:
            errors.append(f"{self.name}：文件为空，第 1 行应为列名：{'、'.join(columns)}")
            return
        missing = [c for c in columns if c not in header]
        if missing:
            errors.append(f"{self.name} 第 1 行：缺少列 {'、'.join(missing)}（应有 {'、'.join(columns)}）")
            return
        self.readable = True
        self.header = header
        blank = dict.fromkeys(c for c in optional if c not in header)
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
            self.rows.append((number, {**{c: "" for c in blank}, **row}))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)

    def has(self, column: str) -> bool:
        return column in self.header

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(f"{self.name} 第 {row} 行“{column}”列：{message}")

    def text(self, row: int, values: dict[str, str], column: str) -> str | None:
        value = values[column]
        if not value:
            self.error(row, column, "不能为空")
            return None
        return value

    def flag(self, row: int, values: dict[str, str], column: str) -> bool | None:
        value = values[column]
        if value not in ("0", "1"):
            self.error(row, column, f"“{value}”应为 0 或 1")
            return None
        return value == "1"

    def number(self, row: int, values: dict[str, str], column: str, low: float, high: float) -> float | None:
        value = values[column]
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            self.error(row, column, f"“{value}”应为 {low:g} 到 {high:g} 之间的数")
            return None
        return number
