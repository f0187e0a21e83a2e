"""The one shared lottery, derived from the seed so that anyone can re-run it without the platform.

A student's lottery key is the SHA-256 digest of the UTF-8 text `<seed>:<student_id>` (the seed written as a
decimal integer, e.g. `42:S0001`); students are drawn in ascending order of their keys' hexadecimal text (ties,
which do not happen in practice, by student id), and a student's lottery number is its place in that order,
from 1. SHA-256 is fixed by FIPS 180-4, so the order is the same on every Python version and outside Python
(`printf '%s' '42:S0001' | sha256sum`); unlike a shuffle of the list of students, a student's key depends only
on the seed and its own id, so adding or removing an applicant moves no one else relative to the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

RULE = (
    'SHA-256 of the UTF-8 text "<seed>:<student_id>", ascending (hexadecimal); lottery number = place, from 1'
)


def lottery_key(seed: int, student_id: str) -> str:
    return hashlib.sha256(f"{seed}:{student_id}".encode()).hexdigest()


def lottery_order(seed: int, student_ids: Iterable[str]) -> list[str]:
    """The students in lottery order (each once)."""
    unique = list(dict.fromkeys(student_ids))
    return [unique[i] for i in lottery_permutation(seed, unique).tolist()]


def lottery_permutation(seed: int, student_ids: Sequence[str]) -> npt.NDArray[np.int64]:
    """The indexes of distinct `student_ids` in lottery order. The raw digests sort as their hexadecimal text
    does; their first 8 bytes, as big-endian integers, sort them in one array operation, and in the unlikely
    case two students share those bytes, the whole digests (then the ids) decide."""
    sha256 = hashlib.sha256
    digests = [sha256(f"{seed}:{s}".encode()).digest() for s in student_ids]
    prefix = np.frombuffer(b"".join(d[:8] for d in digests), dtype=">u8")
    order = np.argsort(prefix, kind="stable")
    ordered = prefix[order]
    if (ordered[1:] == ordered[:-1]).any():
        return np.array(
            sorted(range(len(digests)), key=lambda i: (digests[i], student_ids[i])), dtype=np.int64
        )
    return order.astype(np.int64)
