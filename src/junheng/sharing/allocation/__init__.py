"""The fair cross-school course allocation (S2 二(三), SPEC R-D3): one shared seeded lottery, random serial
dictatorship over the cluster's shared courses, waiting lists that move in lottery order, and the checks of its
guarantees. Pure Python on dataclasses — no models, no database — so that analyst mode (`junheng allocate
courses`) and the platform allocate alike. See docs/allocation.md."""

from .checks import check
from .lottery import RULE, lottery_key, lottery_order
from .problem import Application, Course, InvalidInput, Problem, canonical_slot, input_problems
from .serial import Allocation, Choices, Move, allocate, allocate_choices, release_seat

__all__ = [
    "RULE",
    "Allocation",
    "Application",
    "Choices",
    "Course",
    "InvalidInput",
    "Move",
    "Problem",
    "allocate",
    "allocate_choices",
    "canonical_slot",
    "check",
    "input_problems",
    "lottery_key",
    "lottery_order",
    "release_seat",
]
