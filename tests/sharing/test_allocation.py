"""The course allocation by hand-checked examples: the lottery order of a seed, the serial dictatorship's seats
and waiting lists worked out on paper, seats given up and the waiting lists moving, the input refused, and the
check finding each broken guarantee."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from junheng.sharing.allocation import (
    Allocation,
    Application,
    Course,
    InvalidInput,
    allocate,
    check,
    lottery_key,
    lottery_order,
    release_seat,
)

# Cluster X: school SA offers ROBOT and TRIP, school SB offers ART and CHESS. ROBOT and ART are both on Monday's
# 7th period; TRIP is on dated sessions (no weekly slot).
COURSES = [
    Course("ROBOT", "X", "SA", 2, frozenset({"Mon7"})),
    Course("ART", "X", "SB", 1, frozenset({"Mon7"})),
    Course("CHESS", "X", "SB", 2, frozenset({"Wed8"})),
    Course("TRIP", "X", "SA", 1, frozenset()),
]
CHOICES = {
    "A1": ("SA", ["ROBOT", "TRIP", "CHESS"]),
    "A2": ("SA", ["ROBOT", "ART", "CHESS"]),
    "B1": ("SB", ["ART", "ROBOT", "CHESS"]),
    "B2": ("SB", ["ROBOT", "CHESS", "TRIP"]),
    "B3": ("SB", ["ART", "CHESS"]),
}
APPLICATIONS = [
    Application(student, school, course, rank)
    for student, (school, courses) in CHOICES.items()
    for rank, course in enumerate(courses, start=1)
]


def test_the_lottery_order_of_seed_42() -> None:
    # printf '%s' '42:A1' | sha256sum, and so on: A1 af0118d7…, A2 14e704be…, B1 dc9134e2…, B2 dbb09acc…,
    # B3 35487062…; ascending: A2, B3, A1, B2, B1.
    assert lottery_key(42, "A1").startswith("af0118d7")
    assert lottery_order(42, CHOICES) == ["A2", "B3", "A1", "B2", "B1"]
    assert lottery_order(42, ["B1", "A2", "A2"]) == ["A2", "B1"]  # each once, whatever the order given
    expected = sorted(CHOICES, key=lambda s: hashlib.sha256(f"42:{s}".encode()).hexdigest())
    assert lottery_order(42, CHOICES) == expected
    assert lottery_order(43, CHOICES) != expected


def test_a_student_s_place_depends_only_on_the_seed_and_its_id() -> None:
    others = [s for s in lottery_order(42, CHOICES) if s != "A1"]
    assert lottery_order(42, [s for s in CHOICES if s != "A1"]) == others


def allocated() -> Allocation:
    return allocate(COURSES, APPLICATIONS, seed=42, max_per_student=2)


def test_serial_dictatorship_by_hand() -> None:
    # In lottery order, seats free in brackets (ROBOT 2, ART 1, CHESS 2, TRIP 1):
    # A2: ROBOT (1 left); ART clashes with ROBOT on Mon7, passed; CHESS (1 left): full at 2.
    # B3: ART (0 left); CHESS (0 left): full.
    # A1: ROBOT (0 left); TRIP (0 left): full.
    # B2: ROBOT, CHESS, TRIP all full: nothing. B1: ART, ROBOT, CHESS all full: nothing.
    result = allocated()
    assert result.held == {
        "A2": ["ROBOT", "CHESS"],
        "B3": ["ART", "CHESS"],
        "A1": ["ROBOT", "TRIP"],
        "B2": [],
        "B1": [],
    }
    assert result.lottery == {"A2": 1, "B3": 2, "A1": 3, "B2": 4, "B1": 5}
    # The waiting lists, in lottery order: whoever ranked the course and has no seat in it (A2 waits for ART
    # although it clashes with ROBOT: ROBOT could be given up).
    assert [result.waiting(c.course_id) for c in COURSES] == [
        ["B2", "B1"],
        ["A2", "B1"],
        ["A1", "B2", "B1"],
        ["B2"],
    ]
    assert result.waiting_of("B1") == ["ART", "ROBOT", "CHESS"]
    assert result.enrolled("ROBOT") == ["A2", "A1"]
    assert check(result) == []


def test_the_published_result() -> None:
    data = allocated().as_dict()
    assert data["seed"] == 42 and data["lottery_order"] == ["A2", "B3", "A1", "B2", "B1"]
    assert data["students"][0] == {
        "student_id": "A2",
        "school_code": "SA",
        "cluster": "X",
        "lottery": 1,
        "courses": ["ROBOT", "CHESS"],
        "waiting": ["ART"],
    }
    assert data["students"][3]["courses"] == [] and data["students"][3]["waiting"] == [
        "ROBOT",
        "CHESS",
        "TRIP",
    ]
    assert [(c["course_id"], c["capacity"], c["enrolled"]) for c in data["courses"]] == [
        ("ROBOT", 2, 2),
        ("ART", 1, 1),
        ("CHESS", 2, 2),
        ("TRIP", 1, 1),
    ]
    assert data["courses"][2]["students"] == ["A2", "B3"] and data["courses"][2]["waiting"] == [
        "A1",
        "B2",
        "B1",
    ]


def test_the_waiting_lists_move_in_lottery_order() -> None:
    # A1 gives up ROBOT: first waiting is B2 (nothing held, no clash): B2 takes it. A1 then looks down its own
    # list for a course with a free seat: CHESS is full; nothing more.
    result = release_seat(allocated(), "ROBOT", "A1")
    assert result.held["B2"] == ["ROBOT"] and result.held["A1"] == ["TRIP"]
    assert result.waiting("ROBOT") == ["B1"]  # A1 gave it up: it waits no more
    assert result.moves[-1].taken_by == "B2"
    assert check(result) == []
    # B3 gives up ART: A2 waits first but is full (and ART clashes with its ROBOT), passed over; B1 takes it.
    result = release_seat(result, "ART", "B3")
    assert result.held["B1"] == ["ART"] and result.held["A2"] == ["ROBOT", "CHESS"]
    assert check(result) == []
    # A2 gives up CHESS: A1 waits first, holds TRIP only and CHESS (Wed8) clashes with nothing: A1 takes it.
    result = release_seat(result, "CHESS", "A2")
    assert result.held["A1"] == ["TRIP", "CHESS"]
    assert result.moves[-1].taken_by == "A1" and result.moves[-1].also_taken == ()
    assert check(result) == []
    with pytest.raises(ValueError, match="holds no seat"):
        release_seat(result, "CHESS", "A2")


def test_the_student_who_leaves_takes_what_now_fits() -> None:
    # X holds ROBOT (Mon7) and waits for ART (Mon7, a free seat, but it clashed). It gives up ROBOT; nobody waits
    # for ROBOT; now ART fits and X takes it.
    courses = [
        Course("ROBOT", "X", "SA", 1, frozenset({"Mon7"})),
        Course("ART", "X", "SA", 1, frozenset({"Mon7"})),
    ]
    result = allocate(courses, [Application("X", "SA", "ROBOT", 1), Application("X", "SA", "ART", 2)], seed=1)
    assert result.held == {"X": ["ROBOT"]}
    moved = release_seat(result, "ROBOT", "X")
    assert moved.held == {"X": ["ART"]} and moved.moves[-1].also_taken == ("ART",)
    assert check(moved) == []


def row(result: Allocation, student: str, course: str) -> int:
    return next(i for i in result.rows_of(student) if result.courses[result.course[i]].course_id == course)


def with_seats(result: Allocation, **changes: list[tuple[str, str]]) -> Allocation:
    got = result.got.copy()
    for student, course in changes.get("add", []):
        got[row(result, student, course)] = True
    for student, course in changes.get("remove", []):
        got[row(result, student, course)] = False
    return replace(result, got=got)


def test_the_check_finds_every_broken_guarantee() -> None:
    result = allocated()
    assert check(with_seats(result, add=[("B2", "ROBOT")])) == ["课程 ROBOT 录取 3 人，超过容量 2"]
    broken = check(with_seats(result, add=[("A2", "ART")]))
    assert "学生 A2 录取 3 门，超过每人上限 2 门" in broken
    assert "学生 A2 的课程 ROBOT 与 ART 时段冲突" in broken
    assert check(with_seats(result, remove=[("A1", "TRIP")])) == [  # B2 ranked TRIP too
        "学生 A1 未满 2 门，而其志愿课程 TRIP 尚有空位且时段不冲突（浪费名额）",
        "学生 B2 未满 2 门，而其志愿课程 TRIP 尚有空位且时段不冲突（浪费名额）",
    ]
    # ROBOT taken from A1 (lottery 3) and given to B2 (lottery 4): A1 envies B2's seat.
    (envy,) = check(with_seats(result, remove=[("A1", "ROBOT")], add=[("B2", "ROBOT")]))
    assert envy.startswith("学生 A1（抽签号 3）的志愿课程 ROBOT 给了抽签号更靠后的学生 B2（抽签号 4）")


def test_the_same_seed_gives_the_same_result() -> None:
    assert allocated().as_dict() == allocated().as_dict()
    assert allocate(COURSES, list(reversed(APPLICATIONS)), seed=42).as_dict() == allocated().as_dict()


def test_applications_outside_the_cluster_are_refused() -> None:
    courses = [*COURSES, Course("DRAMA", "Y", "SC", 5, frozenset({"Fri7"}))]
    with pytest.raises(InvalidInput) as refused:
        allocate(courses, [*APPLICATIONS, Application("A1", "SA", "DRAMA", 4)], seed=42)
    (problem,) = refused.value.problems
    assert (problem.source, problem.index, problem.field) == ("applications", len(APPLICATIONS), "course_id")
    assert "跨校选课限于本集群" in problem.message


def test_other_input_refused() -> None:
    bad = [
        Application("A1", "SB", "ART", 9),  # a second school for A1
        Application("A2", "SA", "TRIP", 1),  # rank 1 twice
        Application("A2", "SA", "ROBOT", 7),  # ROBOT twice
        Application("B3", "SB", "NOPE", 3),
    ]
    with pytest.raises(InvalidInput) as refused:
        allocate(COURSES, APPLICATIONS + bad, seed=42)
    fields = [(p.index - len(APPLICATIONS), p.field) for p in refused.value.problems]
    assert fields == [(0, "school_code"), (1, "rank"), (2, "course_id"), (3, "course_id")]
    with pytest.raises(InvalidInput, match="一所学校只属于一个集群"):
        allocate([*COURSES, Course("LAB", "Y", "SA", 1)], APPLICATIONS, seed=42)
    with pytest.raises(ValueError, match="at least 1"):
        allocate(COURSES, APPLICATIONS, seed=42, max_per_student=0)
