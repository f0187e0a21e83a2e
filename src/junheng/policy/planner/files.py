"""Analyst mode's three CSV files (issue 15), read into the planner's dataclasses:

- teachers: staff_number, school_code, subject, stage (primary|junior), backbone (0/1), eligible (0/1), and two
  optional columns: available (0/1, default 1: 0 for a teacher away in another rotation, counted among the eligible
  but not planned; its stage may then be empty) and arranged_to (the weaker school a teacher is already arranged to
  go to in the year: counted as sent and in that school's need);
- schools: school_code, cluster, tier (quality|weaker), stages (primary, junior or primary+junior), lon, lat;
- needs: school_code, subject, stage, need.

UTF-8 (with or without Excel's mark) or GB18030. Every error names the file, the row (as a spreadsheet numbers
it: the header is row 1) and the column, in Chinese; all of a file's errors are reported at once, up to 200
(junheng.core.csvfiles, which the other analyst files share).
"""

from __future__ import annotations

import re
from pathlib import Path

from junheng.core.csvfiles import FilesInvalid, Rows

from .problem import JUNIOR, PRIMARY, QUALITY, STAGES, WEAKER, Need, School, Teacher, canonical_subject

TEACHER_COLUMNS = ("staff_number", "school_code", "subject", "stage", "backbone", "eligible")
TEACHER_OPTIONAL = ("available", "arranged_to")
SCHOOL_COLUMNS = ("school_code", "cluster", "tier", "stages", "lon", "lat")
NEED_COLUMNS = ("school_code", "subject", "stage", "need")
SCHOOL_STAGES = {PRIMARY: {PRIMARY}, JUNIOR: {JUNIOR}, f"{PRIMARY}+{JUNIOR}": {PRIMARY, JUNIOR}}


def read_files(teachers: Path, schools: Path, needs: Path) -> tuple[list[Teacher], list[School], list[Need]]:
    """The three files, checked against each other: a teacher's and a need's school must be in the schools file,
    a need must be of a weaker school and of a stage it teaches. Raises FilesInvalid with every error found."""
    errors: list[str] = []
    school_rows = Rows(schools, SCHOOL_COLUMNS, errors)
    school_list = read_schools(school_rows)
    by_code = {s.code: s for s in school_list}
    if not school_rows.readable:  # without the schools, the others' rows are only checked on their own
        teacher_rows = Rows(teachers, TEACHER_COLUMNS, errors, TEACHER_OPTIONAL)
        need_rows = Rows(needs, NEED_COLUMNS, errors)
        read_teachers(teacher_rows, None, schools.name)
        read_needs(need_rows, None, schools.name)
        raise FilesInvalid(errors)
    teacher_list = read_teachers(
        Rows(teachers, TEACHER_COLUMNS, errors, TEACHER_OPTIONAL), by_code, schools.name
    )
    need_list = read_needs(Rows(needs, NEED_COLUMNS, errors), by_code, schools.name)
    if errors:
        raise FilesInvalid(errors)
    return teacher_list, school_list, need_list


def read_schools(rows: Rows) -> list[School]:
    found: dict[str, School] = {}
    first_row: dict[str, int] = {}
    for row, values in rows:
        code = rows.text(row, values, "school_code")
        cluster = rows.text(row, values, "cluster")
        tier = values["tier"]
        if tier not in (QUALITY, WEAKER):
            rows.error(row, "tier", f"“{tier}”应为 {QUALITY}（优质校）或 {WEAKER}（相对薄弱校）")
        stages = SCHOOL_STAGES.get(values["stages"])
        if stages is None:
            rows.error(row, "stages", f"“{values['stages']}”应为 primary、junior 或 primary+junior")
        lon = rows.number(row, values, "lon", -180, 180)
        lat = rows.number(row, values, "lat", -90, 90)
        if code and code in found:
            rows.error(row, "school_code", f"学校代码 {code} 与第 {first_row[code]} 行重复")
            continue
        if code and cluster and tier in (QUALITY, WEAKER) and stages and lon is not None and lat is not None:
            found[code] = School(code, cluster, tier, frozenset(stages), lon, lat)
            first_row[code] = row
    return list(found.values())


def read_teachers(rows: Rows, schools: dict[str, School] | None, schools_file: str) -> list[Teacher]:
    found: list[Teacher] = []
    first_row: dict[str, int] = {}
    for row, values in rows:
        number = rows.text(row, values, "staff_number")
        code = rows.text(row, values, "school_code")
        if code and schools is not None and code not in schools:
            rows.error(row, "school_code", f"学校代码 {code} 不在 {schools_file} 中")
        subject = rows.text(row, values, "subject")
        available = rows.flag(row, {**values, "available": values["available"] or "1"}, "available")
        stage = values["stage"]
        if stage not in STAGES and not (stage == "" and available is False):
            rows.error(row, "stage", f"“{stage}”应为 primary（小学）或 junior（初中）")
        backbone = rows.flag(row, values, "backbone")
        eligible = rows.flag(row, values, "eligible")
        arranged = values["arranged_to"]
        if arranged and schools is not None and code in schools:
            host = schools.get(arranged)
            if host is None or host.tier != WEAKER or host.cluster != schools[code].cluster:
                rows.error(row, "arranged_to", f"“{arranged}”应为同一集群中相对薄弱校的学校代码")
                arranged = ""
        if number and number in first_row:
            rows.error(row, "staff_number", f"教职工号 {number} 与第 {first_row[number]} 行重复")
            continue
        if number:
            first_row[number] = row
        if (
            number
            and schools
            and code in schools
            and subject
            and (stage in STAGES or available is False)
            and backbone is not None
            and eligible is not None
            and available is not None
        ):
            found.append(Teacher(number, code, subject, stage, backbone, eligible, available, arranged))
    return found


def read_needs(rows: Rows, schools: dict[str, School] | None, schools_file: str) -> list[Need]:
    found: list[Need] = []
    first_row: dict[tuple[str, str, str], int] = {}
    for row, values in rows:
        code = rows.text(row, values, "school_code")
        school = None if schools is None else schools.get(code or "")
        if code and schools is not None and school is None:
            rows.error(row, "school_code", f"学校代码 {code} 不在 {schools_file} 中")
        elif school is not None and school.tier != WEAKER:
            rows.error(row, "school_code", f"学校 {code} 不是相对薄弱校（weaker），不能提出需求")
            school = None
        subject = rows.text(row, values, "subject")
        stage = values["stage"]
        if stage not in STAGES:
            rows.error(row, "stage", f"“{stage}”应为 primary（小学）或 junior（初中）")
        elif school is not None and stage not in school.stages:
            rows.error(
                row,
                "stage",
                f"学校 {code} 没有{'小学' if stage == PRIMARY else '初中'}学段（{schools_file}）",
            )
            school = None
        value = values["need"]
        need = int(value) if re.fullmatch(r"[0-9]+", value) else None
        if need is None:
            rows.error(row, "need", f"“{value}”应为 0 或正整数")
        if school is None or subject is None or stage not in STAGES or need is None:
            continue
        key = (school.code, canonical_subject(subject), stage)
        if key in first_row:
            rows.error(row, "subject", f"学校 {code} 的 {subject}（{stage}）需求与第 {first_row[key]} 行重复")
            continue
        first_row[key] = row
        found.append(Need(school.code, subject, stage, need))
    return found
