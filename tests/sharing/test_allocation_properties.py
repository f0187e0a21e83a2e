"""The course allocation on small random instances (hypothesis): it is the serial dictatorship a plain reference
implementation computes, it keeps every guarantee (the check agrees, and capacity and clashes are counted again
here from the published result), the same seed gives the same result, and the guarantees still hold after seats
are given up and the waiting lists move."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.sharing.allocation import Application, Course, allocate, check, lottery_order, release_seat

SLOTS = ("Mon1", "Mon2", "Tue1")


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Course], list[Application], int, int]:
    courses: list[Course] = []
    applications: list[Application] = []
    for cluster in ("X", "Y")[: draw(st.integers(1, 2))]:
        schools = [f"{cluster}S{i}" for i in range(draw(st.integers(1, 3)))]
        offered = []
        for k in range(draw(st.integers(1, 5))):
            slots = frozenset(draw(st.sets(st.sampled_from(SLOTS), max_size=2)))
            course = Course(
                f"{cluster}K{k}", cluster, schools[k % len(schools)], draw(st.integers(0, 3)), slots
            )
            courses.append(course)
            offered.append(course.course_id)
        for n in range(draw(st.integers(1, 8))):
            school = draw(st.sampled_from(schools))
            ranked = draw(st.permutations(offered))[: draw(st.integers(1, len(offered)))]
            applications += [
                Application(f"{cluster}P{n}", school, course, rank)
                for rank, course in enumerate(ranked, start=1)
            ]
    order = draw(st.permutations(range(len(applications))))
    return courses, [applications[i] for i in order], draw(st.integers(0, 10**6)), draw(st.integers(1, 3))


def reference(
    courses: list[Course], applications: list[Application], seed: int, most: int
) -> dict[str, list[str]]:
    """Random serial dictatorship as the issue says it, on sets."""
    free = {c.course_id: c.capacity for c in courses}
    slots = {c.course_id: c.slots for c in courses}
    ranked: dict[str, list[tuple[int, str]]] = {}
    for a in applications:
        ranked.setdefault(a.student_id, []).append((a.rank, a.course_id))
    held: dict[str, list[str]] = {}
    for student in lottery_order(seed, ranked):
        held[student] = []
        for _, course in sorted(ranked[student]):
            taken = set().union(*(slots[c] for c in held[student]))
            if len(held[student]) < most and free[course] > 0 and not slots[course] & taken:
                free[course] -= 1
                held[student].append(course)
    return held


def recount(courses: list[Course], data: dict) -> None:
    """Capacity and clashes, from the published result alone."""
    by_id = {c.course_id: c for c in courses}
    enrolled = {c["course_id"]: c["enrolled"] for c in data["courses"]}
    assert all(enrolled[c.course_id] <= c.capacity for c in courses)
    for student in data["students"]:
        seats = student["courses"]
        for i, first in enumerate(seats):
            for second in seats[i + 1 :]:
                assert not by_id[first].slots & by_id[second].slots


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_allocation_keeps_its_guarantees(instance: tuple) -> None:
    courses, applications, seed, most = instance
    result = allocate(courses, applications, seed, most)
    assert result.held == reference(courses, applications, seed, most)
    assert check(result) == []
    data = result.as_dict()
    recount(courses, data)
    assert sum(c["enrolled"] for c in data["courses"]) == sum(len(s["courses"]) for s in data["students"])
    assert [s["lottery"] for s in data["students"]] == list(range(1, len(data["students"]) + 1))
    assert allocate(courses, applications, seed, most).as_dict() == data  # the same seed, the same result


@settings(max_examples=200, deadline=None)
@given(instances(), st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_the_guarantees_hold_as_the_waiting_lists_move(instance: tuple, picks: list[int]) -> None:
    courses, applications, seed, most = instance
    result = allocate(courses, applications, seed, most)
    for pick in picks:
        seats = [(s, c) for s in result.order for c in result.held[s]]
        if not seats:
            break
        student, course = seats[pick % len(seats)]
        before = result.waiting(course)
        result = release_seat(result, course, student)
        assert check(result) == []
        recount(courses, result.as_dict())
        taken_by = result.moves[-1].taken_by
        if taken_by is not None:  # the first waiting student that could take it, in lottery order
            assert before.index(taken_by) == min(i for i, s in enumerate(before) if course in result.held[s])
            skipped = before[: before.index(taken_by)]
            by_id = {c.course_id: c for c in courses}
            for s in skipped:  # each passed over was full or clashed
                held = result.held[s]
                assert len(held) >= most or any(by_id[c].slots & by_id[course].slots for c in held)
