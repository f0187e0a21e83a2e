"""What the analyst-mode programmes of the policy app share (the rotation planner, issue 15, and the layout
advisor, issue 17): the great-circle distance, a silent HiGHS, and reading a CSV file whose every error names the
file, the row and the column in Chinese.

Nothing here reads the database: analyst mode runs from the console command without the platform's apps.
"""

from __future__ import annotations

import csv
import io
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import highspy

EARTH_RADIUS_KM = 6371.0
MAX_ERRORS = 200


class Refused(Exception):
    """The run cannot go ahead; the message says why, in Chinese."""


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The great-circle distance in km on a sphere of radius 6371 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


_banner_shown = False


def new_highs() -> Any:
    """A silent HiGHS. Its first instance in a process prints a banner on standard output (where the JSON goes),
    whatever the options: that one is made with standard output pointed at nothing."""
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs


# Reading a CSV file ----------------------------------------------------------------------------------------------


class FilesInvalid(Exception):
    """The files cannot be used; `errors` lists why, each naming file, row and column."""

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
