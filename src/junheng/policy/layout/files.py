"""Analyst mode's schools file (issue 17): school_code, district, stage, tier (quality|weaker), students, lon, lat,
and optionally cluster — the school's current cluster, which sets a district's default size bounds.

Stages are the platform's (primary, junior, nine_year, complete_secondary, twelve_year, special). UTF-8 (with or
without Excel's mark) or GB18030; every error names the file, the row (the header is row 1) and the column, in
Chinese; all of them are reported at once, up to 200.
"""

from __future__ import annotations

import re
from pathlib import Path

from junheng.core.csvfiles import FilesInvalid, Rows
from junheng.organisations.choices import Stage

from .problem import QUALITY, WEAKER, School

COLUMNS = ("school_code", "district", "stage", "tier", "students", "lon", "lat")
OPTIONAL = ("cluster",)


def read_schools(path: Path) -> list[School]:
    """The file's schools. Raises FilesInvalid with every error found."""
    errors: list[str] = []
    rows = Rows(path, COLUMNS, errors, OPTIONAL)
    found: dict[str, School] = {}
    first_row: dict[str, int] = {}
    for row, values in rows:
        code = rows.text(row, values, "school_code")
        district = rows.text(row, values, "district")
        stage = values["stage"]
        if stage not in Stage.values:
            rows.error(row, "stage", f"“{stage}”应为 {'、'.join(Stage.values)} 之一")
        tier = values["tier"]
        if tier not in (QUALITY, WEAKER):
            rows.error(row, "tier", f"“{tier}”应为 {QUALITY}（优质校）或 {WEAKER}（相对薄弱校）")
        students = values["students"]
        if not re.fullmatch(r"[0-9]+", students):
            rows.error(row, "students", f"“{students}”应为 0 或正整数")
        lon = rows.number(row, values, "lon", -180, 180)
        lat = rows.number(row, values, "lat", -90, 90)
        if code and code in first_row:
            rows.error(row, "school_code", f"学校代码 {code} 与第 {first_row[code]} 行重复")
            continue
        if code:
            first_row[code] = row
        if (
            code
            and district
            and stage in Stage.values
            and tier in (QUALITY, WEAKER)
            and re.fullmatch(r"[0-9]+", students)
            and lon is not None
            and lat is not None
        ):
            found[code] = School(code, district, stage, tier, int(students), lon, lat, values["cluster"])
    if errors:
        raise FilesInvalid(errors)
    if not found:
        raise FilesInvalid([f"{path.name}：没有学校"])
    return list(found.values())
