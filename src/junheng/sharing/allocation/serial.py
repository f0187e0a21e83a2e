"""Random serial dictatorship over the cluster's shared courses, and the waiting lists that move when a seat frees.

`allocate`: in lottery order (junheng.sharing.allocation.lottery), each student takes, going down its ranks, every
course that still has a free seat and clashes with nothing it already holds, until it holds `max_per_student`.
Clusters need no separate pass: a student applies only within its cluster, so the students of one cluster never
compete with another's, and the one order serves every cluster alike.

`release_seat`: a student gives up a seat. The seat goes to the course's waiting list in lottery order: the first
waiting student that holds fewer than its maximum and whose courses do not clash with it takes it; a student
full or clashing is passed over and keeps what it holds (the allocation never takes a seat from anyone, nor
trades one for another on a student's behalf — a student who wants the freed seat more than one it holds gives
that one up first). Then the student who left takes, from its own waiting lists and in rank order, the courses
that now fit and have a free seat, as it would have in the lottery. It never gets back the seat it gave up.

The result is held as columns — one row per application, in lottery order and then rank order, with whether it
got its seat — because a city's half a million students and their 2.5 million choices as Python objects take
longer to build than to allocate (bench/allocate.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from .lottery import RULE, lottery_permutation
from .problem import Application, Course, InvalidInput, input_problems

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Choices:
    """The applications as columns: `student[i]` indexes `student_ids` (and `schools`), `course[i]` the courses
    as given, `rank[i]` the student's rank of that course."""

    student_ids: list[str]
    schools: list[str]
    student: Ints
    course: Ints
    rank: Ints

    @classmethod
    def of(cls, courses: Sequence[Course], applications: Sequence[Application]) -> Choices:
        index = {c.course_id: i for i, c in enumerate(courses)}
        students: dict[str, int] = {}
        schools: list[str] = []
        for a in applications:
            if students.setdefault(a.student_id, len(students)) == len(schools):
                schools.append(a.school_code)
        return cls(
            list(students),
            schools,
            np.array([students[a.student_id] for a in applications], dtype=np.int64),
            np.array([index[a.course_id] for a in applications], dtype=np.int64),
            np.array([a.rank for a in applications], dtype=np.int64),
        )


@dataclass(frozen=True)
class Move:
    """A seat given up (`course_id` by `student_id`), who took it from the waiting list, and what the student who
    left took from its own waiting lists."""

    course_id: str
    student_id: str
    taken_by: str | None
    also_taken: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Allocation:
    """The lottery's result. Rows (one per application) are in lottery order, then rank order: `student[i]` is
    the student's place in the lottery (its number less 1), `course[i]` indexes `courses`, `got[i]` says it got
    the seat, `given_up[i]` that it gave the seat up since."""

    seed: int
    max_per_student: int
    courses: list[Course]
    order: list[str]  # the students in lottery order
    schools: list[str]  # in lottery order
    student: Ints
    course: Ints
    rank: Ints
    got: Flags
    given_up: Flags
    moves: tuple[Move, ...] = field(default=())

    @cached_property
    def course_index(self) -> dict[str, int]:
        return {c.course_id: i for i, c in enumerate(self.courses)}

    @cached_property
    def starts(self) -> Ints:
        """Where each student's rows start (and, last, where they end)."""
        counts = np.bincount(self.student, minlength=len(self.order))
        return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    @cached_property
    def lottery(self) -> dict[str, int]:
        """Each student's lottery number, from 1."""
        return {student: number for number, student in enumerate(self.order, start=1)}

    def rows_of(self, student: str) -> range:
        place = self.lottery[student] - 1
        return range(int(self.starts[place]), int(self.starts[place + 1]))

    def courses_of(self, student: str) -> list[str]:
        """Its seats, in rank order."""
        return [self.courses[self.course[i]].course_id for i in self.rows_of(student) if self.got[i]]

    def waiting_of(self, student: str) -> list[str]:
        """The courses it waits for, in rank order: ranked, no seat, none given up."""
        return [
            self.courses[self.course[i]].course_id
            for i in self.rows_of(student)
            if not self.got[i] and not self.given_up[i]
        ]

    @cached_property
    def held(self) -> dict[str, list[str]]:
        return {s: self.courses_of(s) for s in self.order}

    def enrolled(self, course_id: str) -> list[str]:
        """Its students, in lottery order."""
        rows = np.flatnonzero(self.got & (self.course == self.course_index[course_id]))
        return [self.order[s] for s in self.student[rows]]

    def waiting(self, course_id: str) -> list[str]:
        """Its waiting list, in lottery order."""
        rows = np.flatnonzero(~self.got & ~self.given_up & (self.course == self.course_index[course_id]))
        return [self.order[s] for s in self.student[rows]]

    def as_dict(self) -> dict[str, Any]:
        """The published result, built from the columns: each list is a slice of one array's list."""
        ids = np.array([c.course_id for c in self.courses], dtype=object)
        names = np.array(self.order, dtype=object)
        queued = ~self.got & ~self.given_up
        seats = grouped(self.got, self.student, ids[self.course], len(self.order))
        wait = grouped(queued, self.student, ids[self.course], len(self.order))
        by_course = np.argsort(self.course, kind="stable")  # within a course, still in lottery order
        in_course, named = self.course[by_course], names[self.student[by_course]]
        enrolled = grouped(self.got[by_course], in_course, named, len(self.courses))
        waiting = grouped(queued[by_course], in_course, named, len(self.courses))
        order = self.order
        clusters = [c.cluster for c in self.courses]
        first = self.course[self.starts[:-1]].tolist() if len(self.order) else []
        return {
            "seed": self.seed,
            "lottery_rule": RULE,
            "max_per_student": self.max_per_student,
            "lottery_order": list(order),
            "students": [
                {
                    "student_id": student,
                    "school_code": school,
                    "cluster": clusters[course],
                    "lottery": place,
                    "courses": held,
                    "waiting": waits,
                }
                for place, student, school, course, held, waits in zip(
                    range(1, len(order) + 1), order, self.schools, first, seats, wait, strict=True
                )
            ],
            "courses": [
                {
                    "course_id": course.course_id,
                    "cluster": course.cluster,
                    "school_code": course.school_code,
                    "capacity": course.capacity,
                    "enrolled": len(students),
                    "students": students,
                    "waiting": queue,
                }
                for course, students, queue in zip(self.courses, enrolled, waiting, strict=True)
            ],
            "moves": [
                {
                    "course_id": m.course_id,
                    "student_id": m.student_id,
                    "taken_by": m.taken_by,
                    "also_taken": list(m.also_taken),
                }
                for m in self.moves
            ],
        }


def grouped(keep: Flags, group: Ints, values: npt.NDArray[Any], groups: int) -> list[list[Any]]:
    """The kept values of each group as lists, the rows already in group order."""
    kept = values[keep].tolist()
    bounds = np.concatenate(([0], np.cumsum(np.bincount(group[keep], minlength=groups)))).tolist()
    return [kept[a:b] for a, b in itertools.pairwise(bounds)]


def slot_masks(courses: Sequence[Course]) -> list[int]:
    """Each course's slots as bits of one integer: two courses clash when their masks share a bit."""
    bit: dict[str, int] = {}
    masks = []
    for course in courses:
        mask = 0
        for slot in sorted(course.slots):
            mask |= 1 << bit.setdefault(slot, len(bit))
        masks.append(mask)
    return masks


def allocate(
    courses: Sequence[Course], applications: Sequence[Application], seed: int, max_per_student: int = 2
) -> Allocation:
    """The lottery's allocation. Raises InvalidInput when the input breaks a rule of `input_problems`."""
    problems = input_problems(list(courses), list(applications))
    if problems:
        raise InvalidInput(problems)
    return allocate_choices(list(courses), Choices.of(courses, applications), seed, max_per_student)


def allocate_choices(
    courses: list[Course], choices: Choices, seed: int, max_per_student: int = 2
) -> Allocation:
    """The lottery's allocation of choices already checked (`input_problems`, or the files' check)."""
    if max_per_student < 1:
        raise ValueError("max_per_student must be at least 1")
    by_place = lottery_permutation(seed, choices.student_ids)  # student ids are distinct in Choices
    place_of = np.empty(len(by_place), dtype=np.int64)
    place_of[by_place] = np.arange(len(by_place))
    student = place_of[choices.student]
    rows = np.lexsort((choices.rank, student))
    student, course, rank = student[rows], choices.course[rows], choices.rank[rows]
    order = [choices.student_ids[i] for i in by_place.tolist()]
    schools = [choices.schools[i] for i in by_place.tolist()]
    got = serial_dictatorship(student, course, courses, max_per_student)
    return Allocation(
        seed, max_per_student, courses, order, schools, student, course, rank, got, np.zeros_like(got)
    )


def serial_dictatorship(student: Ints, course: Ints, courses: list[Course], most: int) -> Flags:
    """The heart of it, on plain integers in one pass over the rows: free seats per course and slot bit masks."""
    free = [c.capacity for c in courses]
    masks = slot_masks(courses)
    got = [False] * len(student)
    current, taken, mask = -1, 0, 0
    for i, (s, c) in enumerate(zip(student.tolist(), course.tolist(), strict=True)):
        if s != current:
            current, taken, mask = s, 0, 0
        if taken < most and free[c] and not masks[c] & mask:
            free[c] -= 1
            got[i] = True
            taken += 1
            mask |= masks[c]
    return np.array(got, dtype=np.bool_)


def release_seat(result: Allocation, course_id: str, student_id: str) -> Allocation:
    """`student_id` gives up its seat in `course_id`; the waiting lists move as the module says."""
    index = result.course_index.get(course_id)
    row = next((i for i in result.rows_of(student_id) if result.course[i] == index), None)
    if row is None or not result.got[row]:
        raise ValueError(f"student {student_id} holds no seat in course {course_id}")
    masks = slot_masks(result.courses)
    got, given_up = result.got.copy(), result.given_up.copy()
    got[row], given_up[row] = False, True
    free = [c.capacity for c in result.courses]
    for c in result.course[got].tolist():
        free[c] -= 1

    def fits(i: int) -> bool:
        rows = result.rows_of(result.order[result.student[i]])
        held = [result.course[j] for j in rows if got[j]]
        mask = 0
        for c in held:
            mask |= masks[c]
        c = result.course[i]
        return free[c] > 0 and len(held) < result.max_per_student and not masks[c] & mask

    def take(i: int) -> None:
        free[result.course[i]] -= 1
        got[i] = True

    waiting = np.flatnonzero(~got & ~given_up & (result.course == index)).tolist()
    taken_by = next((i for i in waiting if fits(i)), None)
    if taken_by is not None:
        take(taken_by)
    also = []
    for i in result.rows_of(student_id):
        if not got[i] and not given_up[i] and fits(i):
            take(i)
            also.append(result.courses[result.course[i]].course_id)
    move = Move(
        course_id,
        student_id,
        None if taken_by is None else result.order[result.student[taken_by]],
        tuple(also),
    )
    return replace(result, got=got, given_up=given_up, moves=(*result.moves, move))
