"""What the allocation is given: the cluster's shared courses and the students' ranked applications, and what makes
a set of them one that can be allocated (`input_problems`).

Cross-school enrolment is within the cluster (S2 二(三): the cluster's member schools share their courses among
themselves), so a student applies only to courses of its school's cluster. A school's cluster is the cluster of the
courses it offers; a school that offers none (it would fail R-D1.a, but its students may still apply) is of the
cluster its students' first application names. An application to a course of another cluster is refused, not
ignored: dropping it quietly would allocate a student on choices it did not make.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLOT = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)([1-9][0-9]?)", re.IGNORECASE)


@dataclass(frozen=True)
class Course:
    """A shared course: `slots` are its weekly periods, weekday and period (`Mon3` is Monday's third period). Two
    courses clash when they share a slot; a course without slots (a study trip on dated sessions) clashes with
    none."""

    course_id: str
    cluster: str
    school_code: str
    capacity: int
    slots: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Application:
    """One ranked choice of a student: rank 1 is the course it wants most."""

    student_id: str
    school_code: str
    course_id: str
    rank: int


@dataclass(frozen=True)
class Problem:
    """Why the input cannot be allocated: which list (`courses` or `applications`), the index in it, the field."""

    source: str
    index: int
    field: str
    message: str


class InvalidInput(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.source}[{p.index}].{p.field}: {p.message}" for p in problems[:20]))


def ordinal(index: int) -> str:
    return f"第 {index + 1} 条申请"


def canonical_slot(text: str) -> str | None:
    """`mon3` or `Mon3` → `Mon3`; None for anything that is not a weekday and a period 1–99."""
    match = SLOT.fullmatch(text.strip())
    if match is None:
        return None
    return match.group(1).capitalize() + match.group(2)


def input_problems(
    courses: list[Course], applications: list[Application], where: Callable[[int], str] = ordinal
) -> list[Problem]:
    """Everything that stops an allocation, in the order of the lists: a course given twice, a school offering
    courses in two clusters, a negative capacity, an ill-formed slot; an application to an unknown course or to a
    course of another cluster, a student given with two schools, a course or a rank given twice by one student,
    a rank below 1. `where(index)` names another application in a message (the files name their rows)."""
    problems: list[Problem] = []
    by_id: dict[str, Course] = {}
    school_cluster: dict[str, tuple[str, str]] = {}  # school → (cluster, where that was decided)
    for index, course in enumerate(courses):
        problems += course_problems(index, course, by_id, school_cluster)
    return problems + application_problems(applications, by_id, school_cluster, where)


def course_problems(
    index: int, course: Course, by_id: dict[str, Course], school_cluster: dict[str, tuple[str, str]]
) -> list[Problem]:
    found = []

    def problem(field: str, message: str) -> None:
        found.append(Problem("courses", index, field, message))

    if course.course_id in by_id:
        problem("course_id", f"课程编号 {course.course_id} 重复")
    else:
        by_id[course.course_id] = course
    known = school_cluster.get(course.school_code)
    if known is None:
        school_cluster[course.school_code] = (course.cluster, f"课程 {course.course_id}")
    elif known[0] != course.cluster:
        problem(
            "cluster",
            f"学校 {course.school_code} 已在集群 {known[0]}（据{known[1]}），一所学校只属于一个集群",
        )
    if course.capacity < 0:
        problem("capacity", f"容量 {course.capacity} 不能为负数")
    bad = sorted(s for s in course.slots if canonical_slot(s) != s)
    if bad:
        problem("slots", f"时段 {'、'.join(bad)} 应为星期（Mon–Sun）加节次，如 Mon3")
    return found


def application_problems(
    applications: list[Application],
    by_id: dict[str, Course],
    school_cluster: dict[str, tuple[str, str]],
    where: Callable[[int], str],
) -> list[Problem]:
    """One pass over the applications (half a million students' choices in a second or two: no call per row
    unless the row is wrong)."""
    found: list[Problem] = []
    student_school: dict[str, int] = {}  # student → its first application
    first: dict[
        tuple[str, str] | tuple[str, int], int
    ] = {}  # (student, course) and (student, rank) → application
    for index, a in enumerate(applications):
        student = a.student_id
        known = student_school.setdefault(student, index)
        if known != index and applications[known].school_code != a.school_code:
            found.append(
                Problem(
                    "applications",
                    index,
                    "school_code",
                    f"学生 {student} 已填为学校 {applications[known].school_code}（{where(known)}），"
                    "一名学生只属于一所学校",
                )
            )
        rank = a.rank
        if rank < 1:
            found.append(Problem("applications", index, "rank", f"志愿序号 {rank} 应为正整数"))
        elif first.setdefault((student, rank), index) != index:
            found.append(
                Problem(
                    "applications",
                    index,
                    "rank",
                    f"学生 {student} 的第 {rank} 志愿已在{where(first[student, rank])}填过",
                )
            )
        course = by_id.get(a.course_id)
        if course is None:
            found.append(Problem("applications", index, "course_id", f"课程 {a.course_id} 不在课程清单中"))
            continue
        if first.setdefault((student, a.course_id), index) != index:
            found.append(
                Problem(
                    "applications",
                    index,
                    "course_id",
                    f"学生 {student} 已在{where(first[student, a.course_id])}选过课程 {a.course_id}",
                )
            )
        cluster = school_cluster.get(a.school_code)
        if cluster is None:
            cluster = school_cluster[a.school_code] = (course.cluster, where(index))
        if cluster[0] != course.cluster:
            found.append(
                Problem(
                    "applications",
                    index,
                    "course_id",
                    f"课程 {a.course_id} 属于集群 {course.cluster}，学校 {a.school_code} 属于集群 {cluster[0]}"
                    f"（据{cluster[1]}）：跨校选课限于本集群（S2 二(三)）",
                )
            )
    return found
