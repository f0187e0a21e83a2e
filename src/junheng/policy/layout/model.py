"""The mixed-integer programme of one group (a district, or its schools of one stage), solved with HiGHS to proven
optimality.

Columns: x(s, l) ∈ {0, 1} for every school s and every quality school l of the group — s is in l's cluster. The
lead variable y(l) is x(l, l) itself: l leads a cluster exactly when it is in its own (a quality school that leads
none is in another's cluster). Rows:

- each school in exactly one cluster: Σ_l x(s, l) = 1;
- only an open lead takes members, disaggregated (the tight form, each pair its own row rather than
  Σ_s x(s, l) ≤ n · y(l)): x(s, l) ≤ y(l);
- size, times y(l), so a closed lead has no size at all: lo · y(l) ≤ Σ_s x(s, l) ≤ hi · y(l);
- at least one weaker school per open lead: Σ_{s weaker} x(s, l) ≥ y(l);
- the number of clusters within the counts `impossibility` proves necessary: ⌈n / hi⌉ ≤ Σ_l y(l) ≤
  min(Q, W, ⌊n / lo⌋) — implied by the rows above in integers, but not in the relaxation, which it tightens;
- objective, minimised: Σ students(s) · d(s, l) · x(s, l), d the great-circle km.

HiGHS's default relative gap (1e-4) would accept a layout worse than the best by 1e-4 of the objective — a hundred
student-km in a district of a million — so the relative gap is 0. The absolute gap is 1e-6 rather than 0: the
objective's smallest meaningful difference is one student one metre further (1e-3 student-km), far above it, while
a gap of exactly 0 asks the branch and bound to close a difference that floating-point round-off can keep open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from junheng.policy.analyst import new_highs

from .problem import WEAKER, Group, Layout, distance_km

MIP_REL_GAP = 0.0
MIP_ABS_GAP = 1e-6
OPTIMAL = "optimal"


class NoLayout(Exception):
    """No layout keeps the rules; the message says why, in Chinese."""


@dataclass
class Solved:
    layout: Layout
    status: str
    bound: float  # the proven lower bound of the objective (HiGHS's dual bound)


def solve(group: Group) -> Solved:
    schools = list(group.schools)
    leads = [i for i, s in enumerate(schools) if s.tier != WEAKER]
    n, q = len(schools), len(leads)
    col = np.arange(n * q).reshape(n, q)  # x(s, l) is column col[s, j] for the lead leads[j]
    own = col[leads, np.arange(q)]  # y(l) = x(l, l)
    cost = np.array([[s.students * distance_km(s, schools[j]) for j in leads] for s in schools]).ravel()
    weaker = [i for i, s in enumerate(schools) if s.tier == WEAKER]

    rows = Rows()
    for s in range(n):
        rows.add(col[s], np.ones(q), 1, 1)
    for j, lead in enumerate(leads):
        others = np.array([s for s in range(n) if s != lead])
        for s in others:
            rows.add(np.array([col[s, j], own[j]]), np.array([1.0, -1.0]), -highspy.kHighsInf, 0)
        members = col[others, j]
        ones = np.ones(len(others))
        rows.add(np.append(members, own[j]), np.append(ones, 1 - group.most), -highspy.kHighsInf, 0)
        if group.min_size > 2:  # below 3 the weaker school's row and y(l) itself already give the lead 2
            rows.add(np.append(members, own[j]), np.append(ones, 1 - group.min_size), 0, highspy.kHighsInf)
        rows.add(
            np.append(col[weaker, j], own[j]), np.append(np.ones(len(weaker)), -1.0), 0, highspy.kHighsInf
        )
    fewest = math.ceil(n / group.most)
    most = min(q, len(weaker), n // max(group.min_size, 1))
    rows.add(own, np.ones(q), fewest, most)

    highs = new_highs()
    highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    highs.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    highs.setOptionValue("threads", 1)
    highs.passModel(rows.model(cost, n * q))
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise NoLayout(f"{group.name}：没有满足规模与学段要求的集群布局（求解器证明不可行）")
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(status)} in {group.name}")
    x = np.asarray(highs.getSolution().col_value).reshape(n, q)
    chosen = x.argmax(axis=1)
    layout = {schools[s].code: schools[leads[chosen[s]]].code for s in range(n)}
    return Solved(layout, OPTIMAL, float(highs.getInfo().mip_dual_bound))


class Rows:
    """A programme's rows, gathered row by row and handed to HiGHS at once as a row-wise matrix."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.index: list[np.ndarray] = []
        self.value: list[np.ndarray] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.size = 0

    def add(self, cols: np.ndarray, coefs: np.ndarray, lower: float, upper: float) -> None:
        self.starts.append(self.size)
        self.index.append(cols)
        self.value.append(coefs)
        self.size += len(cols)
        self.lower.append(lower)
        self.upper.append(upper)

    def model(self, cost: np.ndarray, n_col: int) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        lp.num_col_ = n_col
        lp.num_row_ = len(self.lower)
        lp.sense_ = highspy.ObjSense.kMinimize
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(n_col)
        lp.col_upper_ = np.ones(n_col)
        lp.row_lower_ = np.array(self.lower, dtype=float)
        lp.row_upper_ = np.array(self.upper, dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_col
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n_col
        lp.a_matrix_.num_row_ = len(self.lower)
        lp.a_matrix_.start_ = np.array([*self.starts, self.size], dtype=np.int32)
        lp.a_matrix_.index_ = np.concatenate(self.index).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate(self.value).astype(float)
        return lp
