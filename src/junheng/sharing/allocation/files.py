"""Analyst mode's two CSV files for `junheng allocate courses`, read into the allocation's dataclasses:

- courses: course_id, cluster, school_code, capacity (0 or more), slots (weekday and period, `;` between them:
  `Mon3;Thu3`; empty for a course with no weekly slot);
- applications: student_id, school_code, course_id, rank (1 = first choice).

Read as every analyst file is (junheng.core.csvfiles): UTF-8 with or without Excel's mark (or GB18030), errors
naming file, row and column in Chinese, all reported at once. Then the rules of `input_problems` — one school in
one cluster, applications within the cluster, no course or rank twice for a student — are checked with the same
code the allocation runs, their errors named by row and column of the file.

A city's applications (2.5 million rows) are first read as columns (`read_choices`, with pyarrow) and screened
for every rule at once with array operations; only a file the screen does not pass is read row by row, which
finds the errors and names them. The screen decides nothing itself: whatever it doubts goes the slow way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from junheng.core.csvfiles import FilesInvalid, Rows

from .problem import Application, Course, canonical_slot, course_problems, input_problems
from .serial import Choices

COURSE_COLUMNS = ("course_id", "cluster", "school_code", "capacity", "slots")
APPLICATION_COLUMNS = ("student_id", "school_code", "course_id", "rank")


def read_files(courses: Path, applications: Path) -> tuple[list[Course], list[Application]]:
    """The two files, checked against each other once the courses file is without error. Raises FilesInvalid
    with every error found."""
    errors: list[str] = []
    course_rows = Rows(courses, COURSE_COLUMNS, errors)
    course_list, course_lines = read_courses(course_rows)
    courses_clean = not errors
    application_rows = Rows(applications, APPLICATION_COLUMNS, errors)
    application_list, application_lines = read_applications(application_rows)
    if courses_clean:  # else an application would be refused for a course only its bad row left out
        problems = input_problems(course_list, application_list, lambda i: f"第 {application_lines[i]} 行")
        for p in problems:
            rows, lines = (
                (course_rows, course_lines)
                if p.source == "courses"
                else (application_rows, application_lines)
            )
            rows.error(lines[p.index], p.field, p.message)
    if errors:
        raise FilesInvalid(errors)
    return course_list, application_list


def whole_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def read_courses(rows: Rows) -> tuple[list[Course], list[int]]:
    found: list[Course] = []
    lines: list[int] = []
    for row, values in rows:
        course_id = rows.text(row, values, "course_id")
        cluster = rows.text(row, values, "cluster")
        school = rows.text(row, values, "school_code")
        capacity = whole_number(values["capacity"])
        if capacity is None:
            rows.error(row, "capacity", f"“{values['capacity']}”应为 0 或正整数")
        slots = set()
        for text in values["slots"].replace("；", ";").split(";"):
            if not text.strip():
                continue
            slot = canonical_slot(text)
            if slot is None:
                rows.error(
                    row, "slots", f"“{text.strip()}”应为星期（Mon–Sun）加节次，如 Mon3；多个时段用 ; 分隔"
                )
            else:
                slots.add(slot)
        if course_id and cluster and school and capacity is not None:
            found.append(Course(course_id, cluster, school, capacity, frozenset(slots)))
            lines.append(row)
    return found, lines


def read_applications(rows: Rows) -> tuple[list[Application], list[int]]:
    """Half a million students' rows in a few seconds: the common case, every cell present, costs no call."""
    found: list[Application] = []
    lines: list[int] = []
    for row, values in rows:
        student, school, course, rank_text = (
            values["student_id"],
            values["school_code"],
            values["course_id"],
            values["rank"],
        )
        if not (student and school and course):
            for column in ("student_id", "school_code", "course_id"):
                rows.text(row, values, column)
        rank = whole_number(rank_text)
        if rank is None or rank < 1:
            rows.error(row, "rank", f"“{rank_text}”应为正整数（1 为第一志愿）")
            continue
        if student and school and course:
            found.append(Application(student, school, course, rank))
            lines.append(row)
    return found, lines


def read_choices(courses: Path, applications: Path) -> tuple[list[Course], Choices]:
    """The two files as the allocation takes them: the applications as columns. Raises FilesInvalid as
    `read_files` does."""
    errors: list[str] = []
    course_list, _ = read_courses(Rows(courses, COURSE_COLUMNS, errors))
    if not errors:
        by_id: dict[str, Course] = {}
        school_cluster: dict[str, tuple[str, str]] = {}
        clean = all(not course_problems(i, c, by_id, school_cluster) for i, c in enumerate(course_list))
        choices = screened(applications, course_list) if clean else None
        if choices is not None:
            return course_list, choices
    course_list, application_list = read_files(courses, applications)  # raises, unless the screen was unsure
    return course_list, Choices.of(course_list, application_list)


def screened(path: Path, courses: list[Course]) -> Choices | None:
    """The applications as columns when they break no rule, else None (then `read_files` says what is wrong)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    try:
        table = csv.read_csv(
            path,
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(APPLICATION_COLUMNS, pa.string()),
                include_columns=list(APPLICATION_COLUMNS),
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, OSError):
        return None  # not UTF-8, a column missing, a ragged row …
    columns = {name: table.column(name).combine_chunks() for name in APPLICATION_COLUMNS}
    for column in columns.values():
        if len(column) and (
            pc.min(pc.utf8_length(column)).as_py() == 0
            or not pc.all(pc.equal(pc.utf8_trim_whitespace(column), column)).as_py()
        ):
            return None
    rank_text = columns["rank"]
    if len(rank_text) and not pc.all(pc.match_substring_regex(rank_text, r"^[0-9]{1,9}$")).as_py():
        return None
    rank = np.asarray(pc.cast(rank_text, pa.int64()), dtype=np.int64)
    course = pc.index_in(columns["course_id"], value_set=pa.array([c.course_id for c in courses]))
    if course.null_count or (len(rank) and rank.min() < 1):
        return None
    course_of = np.asarray(course.fill_null(0), dtype=np.int64)
    student_codes = columns["student_id"].dictionary_encode()
    school_codes = columns["school_code"].dictionary_encode()
    student = np.asarray(student_codes.indices, dtype=np.int64)
    school = np.asarray(school_codes.indices, dtype=np.int64)
    student_ids, school_ids = student_codes.dictionary.to_pylist(), school_codes.dictionary.to_pylist()
    school_of = np.full(len(student_ids), -1, dtype=np.int64)
    school_of[student] = school
    if not (school_of[student] == school).all():
        return None  # a student with two schools
    for other in (course_of, rank):
        key = np.sort(student * (int(other.max(initial=0)) + 1) + other)
        if (key[1:] == key[:-1]).any():
            return None  # a course or a rank twice for one student
    if not within_clusters(courses, course_of, school, school_ids):
        return None
    return Choices(student_ids, [school_ids[i] for i in school_of.tolist()], student, course_of, rank)


def within_clusters(
    courses: list[Course], course: np.ndarray, school: np.ndarray, school_ids: list[str]
) -> bool:
    """Every application within its school's cluster: the cluster of the school's courses, or for a school that
    offers none, one cluster for all its students' applications."""
    clusters = {c: i for i, c in enumerate(dict.fromkeys(c.cluster for c in courses))}
    cluster_of_course = np.array([clusters[c.cluster] for c in courses], dtype=np.int64)
    offering = {c.school_code: clusters[c.cluster] for c in courses}
    own = np.array([offering.get(code, -1) for code in school_ids], dtype=np.int64)
    applied = cluster_of_course[course]
    known = own[school] >= 0
    if not (applied[known] == own[school][known]).all():
        return False
    low = np.full(len(school_ids), len(clusters), dtype=np.int64)
    high = np.full(len(school_ids), -1, dtype=np.int64)
    np.minimum.at(low, school[~known], applied[~known])
    np.maximum.at(high, school[~known], applied[~known])
    return bool((low[school[~known]] == high[school[~known]]).all())
