"""The guarantees of an allocation, checked on the result alone (`check`), so that anyone holding the published
result can check it too:

1. no course over its capacity;
2. no student in two courses whose slots overlap, nor over its maximum (a seat is always one of its choices: the
   result has a row per choice, nothing else);
3. no seat wasted: no student short of its maximum while a course it ranked has a free seat and clashes with
   nothing it holds;
4. no envy of a later lottery number: when a student with a later number holds a seat in a course a student
   ranked and does not hold, that course is outranked by what the student got — it holds its maximum of courses
   it ranks higher — or clashes with a course it got that it ranks higher.

Once the waiting lists have moved (`release_seat`), guarantee 4 is the one those moves keep: the student is full,
or the course clashes with one it holds; a student who gave up a seat itself claims nothing against seats given
while it held it (it holds fewer than the lottery gave it by its own choice). Guarantees 1–3 hold throughout.

Each guarantee is one pass of array operations over the rows (a city's 2.5 million choices in about a second).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .serial import Allocation, slot_masks

Words = npt.NDArray[np.uint64]


def mask_words(result: Allocation) -> Words:
    """The courses' slot masks as rows of 64-bit words, for bitwise operations on many rows at once."""
    masks = slot_masks(result.courses)
    width = max(1, -(-max([m.bit_length() for m in masks] or [0]) // 64))
    words = np.zeros((len(masks), width), dtype=np.uint64)
    for c, mask in enumerate(masks):
        for w in range(width):
            words[c, w] = (mask >> (64 * w)) & 0xFFFF_FFFF_FFFF_FFFF
    return words


def check(result: Allocation) -> list[str]:
    """Every broken guarantee, in Chinese; empty when the allocation keeps them all."""
    r = result
    most = r.max_per_student
    words = mask_words(r)[r.course]  # each row's course's slots
    students, courses = len(r.order), len(r.courses)
    held = np.flatnonzero(r.got)
    capacity = np.array([c.capacity for c in r.courses], dtype=np.int64)
    count = np.bincount(r.course[held], minlength=courses)
    held_n = np.bincount(r.student[held], minlength=students)
    held_mask = np.zeros((students, words.shape[1]), dtype=np.uint64)
    np.bitwise_or.at(held_mask, r.student[held], words[held])
    broken = [
        f"课程 {r.courses[c].course_id} 录取 {count[c]} 人，超过容量 {capacity[c]}"
        for c in np.flatnonzero(count > capacity)
    ]
    broken += [
        f"学生 {r.order[s]} 录取 {held_n[s]} 门，超过每人上限 {most} 门"
        for s in np.flatnonzero(held_n > most)
    ]
    for k in range(1, int(held_n.max(initial=0))):
        first, second = held[:-k], held[k:]
        clash = (r.student[first] == r.student[second]) & (words[first] & words[second]).any(axis=1)
        broken += [
            f"学生 {r.order[r.student[i]]} 的课程 {r.courses[r.course[i]].course_id} 与 "
            f"{r.courses[r.course[j]].course_id} 时段冲突"
            for i, j in zip(first[clash], second[clash], strict=True)
        ]
    waits = ~r.got & ~r.given_up
    fits = np.asarray(~(words & held_mask[r.student]).any(axis=1), dtype=np.bool_)
    wasted = waits & (held_n[r.student] < most) & ((capacity - count)[r.course] > 0) & fits
    broken += [
        f"学生 {r.order[r.student[i]]} 未满 {most} 门，而其志愿课程 {r.courses[r.course[i]].course_id} "
        "尚有空位且时段不冲突（浪费名额）"
        for i in np.flatnonzero(wasted)
    ]
    return broken + envy(r, words, held_n, fits, waits)


def envy(
    r: Allocation,
    words: Words,
    held_n: npt.NDArray[np.int64],
    fits: npt.NDArray[np.bool_],
    waits: npt.NDArray[np.bool_],
) -> list[str]:
    """Guarantee 4: the rows a student waits on whose course a later lottery number holds, unless outranked."""
    most = r.max_per_student
    latest = np.zeros(
        len(r.courses), dtype=np.int64
    )  # the latest lottery number holding each course, 0 if none
    held = np.flatnonzero(r.got)
    np.maximum.at(latest, r.course[held], r.student[held] + 1)
    left = np.zeros(len(r.order), dtype=np.bool_)
    left[r.student[r.given_up]] = True
    rows = np.flatnonzero(waits & (latest[r.course] > r.student + 1) & ~left[r.student])
    if r.moves:
        outranked = (held_n[r.student[rows]] >= most) | ~fits[rows]
    else:
        above_n = np.zeros(len(rows), dtype=np.int64)  # seats it holds of the courses it ranks higher
        clash = np.zeros(len(rows), dtype=np.bool_)
        first = r.starts[r.student[rows]]
        for k in range(1, int(np.diff(r.starts).max(initial=1))):
            before = rows - k
            mine = before >= first  # rows are in rank order within a student
            taken = mine & r.got[np.maximum(before, 0)]
            above_n += taken
            clash |= taken & (words[rows] & words[np.maximum(before, 0)]).any(axis=1)
        outranked = (above_n >= most) | clash
    return [
        f"学生 {r.order[r.student[i]]}（抽签号 {r.student[i] + 1}）的志愿课程 {r.courses[r.course[i]].course_id} "
        f"给了抽签号更靠后的学生 {r.order[latest[r.course[i]] - 1]}（抽签号 {latest[r.course[i]]}），"
        "而该课程既不与其所得冲突，也未被其所得排在前面"
        for i in rows[~outranked]
    ]
