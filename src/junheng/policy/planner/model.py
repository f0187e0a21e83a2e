"""The mixed-integer programme of one cluster (issue 15), solved with HiGHS to proven optimality.

Columns: x(t, w) ∈ {0, 1} for the admissible pairs only; s(q) ≥ 0 (continuous) for each quality school with a
quota; y(w) ∈ {0, 1} for each weaker school that can receive anyone, when teams are on. Rows:

- each teacher at most once: Σ_w x(t, w) ≤ 1 (only where the teacher has two or more candidates);
- quota, soft: Σ_{t∈q, w} x + s(q) ≥ R(q) = ⌈share · E(q)⌉, and the upper bound Σ_{t∈q, w} x ≤ ⌈m · E(q)⌉;
- backbone: Σ_{t∈q backbone} x ≥ 0.3 · Σ_{t∈q} x, kept exactly in integers: with the share a/b (3/10),
  Σ (b·[t backbone] − a) · x(t, w) ≥ 0;
- need: Σ_{t of subject s, stage g} x(t, w) ≤ need(w, s, g) (only where more candidates than need);
- team inflow: T · y(w) ≤ Σ_t x(t, w) ≤ M · y(w), T the edition's team minimum, M the most w can receive;
- objective, maximised: Σ v · x − 0.001 · Σ d · x − 1000 · Σ s(q).

HiGHS's default relative gap (1e-4) would accept a plan worse than the best by 1e-4 of the objective — a teacher
or more in a large cluster — so the relative gap is 0. The absolute gap is 1e-6 rather than 0: the objective's
smallest meaningful difference is 0.001 per km, so 1e-6 is one metre of the cluster's total travel, below the
precision of any school's coordinates, while a gap of exactly 0 asks the branch and bound to close a difference
that floating-point round-off (HiGHS's tolerances are 1e-6 to 1e-9) can keep open, and it would then run to the
time limit on a plan already optimal.

The relaxation is solved first: where its optimum is already a plan (see `relaxation_plan`), that is the proven
optimum and the branch and bound is not needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import highspy
import numpy as np

from junheng.policy.analyst import new_highs

from .problem import (
    SHORTFALL_PENALTY,
    Candidate,
    Cluster,
    Infeasible,
    Options,
    canonical_subject,
    pinned_candidates,
    share_ratio,
    violations,
)

MIP_REL_GAP = 0.0
MIP_ABS_GAP = 1e-6
OPTIMAL, TIME_LIMIT = "optimal", "time_limit"


@dataclass
class Solved:
    chosen: list[Candidate]
    status: str
    bound: float  # the proven upper bound of the objective (HiGHS's dual bound)


def solve(cluster: Cluster, options: Options, count_only: bool = False) -> Solved:
    """The cluster's optimal plan. With `count_only`, the most teachers the cluster's quality schools can send
    under the hard rules (objective Σ x, no quota rows): what the shortfall reasons compare with."""
    candidates = cluster.candidates
    quotas = {q.code: cluster.to_send(q.code, options.quota_share) for q in cluster.quality}
    n_x = len(candidates)
    with_slack = [] if count_only else [q for q, r in quotas.items() if r > 0]
    if n_x == 0:
        bound = 0.0 if count_only else -float(SHORTFALL_PENALTY * sum(quotas.values()))
        return Solved([], OPTIMAL, bound)

    by_teacher: dict[str, list[int]] = defaultdict(list)
    by_school: dict[str, list[int]] = defaultdict(list)
    by_need: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    by_weaker: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        by_teacher[c.teacher.staff_number].append(i)
        by_school[c.teacher.school_code].append(i)
        by_need[(c.school.code, canonical_subject(c.teacher.subject), c.teacher.stage)].append(i)
        by_weaker[c.school.code].append(i)
    teams = options.teams and options.team_minimum > 1
    weaker = sorted(by_weaker) if teams else []
    slack_col = {q: n_x + k for k, q in enumerate(with_slack)}
    team_col = {w: n_x + len(with_slack) + k for k, w in enumerate(weaker)}
    n_col = n_x + len(with_slack) + len(weaker)

    cost = np.zeros(n_col)
    cost[:n_x] = [1.0 if count_only else c.weight for c in candidates]
    for col in slack_col.values():
        cost[col] = -SHORTFALL_PENALTY
    lower = np.zeros(n_col)
    for i, c in enumerate(candidates):
        if (c.teacher.staff_number, c.school.code) in options.pinned:
            lower[i] = 1.0
    upper = np.ones(n_col)
    for q, col in slack_col.items():
        upper[col] = quotas[q]
    integrality = [highspy.HighsVarType.kInteger] * n_col
    for col in slack_col.values():
        integrality[col] = highspy.HighsVarType.kContinuous

    rows_lower: list[float] = []
    rows_upper: list[float] = []
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    inf = highspy.kHighsInf

    def row(cols: list[int], coefs: list[float], lo: float, hi: float) -> None:
        starts.append(len(index))
        index.extend(cols)
        value.extend(coefs)
        rows_lower.append(lo)
        rows_upper.append(hi)

    for cols in by_teacher.values():
        if len(cols) > 1:
            row(cols, [1.0] * len(cols), -inf, 1)
    a, b = share_ratio(options.backbone_share)
    for quality in cluster.quality:
        cols = by_school.get(quality.code, [])
        if quality.code in slack_col:
            row([*cols, slack_col[quality.code]], [1.0] * (len(cols) + 1), quotas[quality.code], inf)
        most = cluster.to_send(quality.code, options.upper_share)
        if len({candidates[i].teacher.staff_number for i in cols}) > most:
            row(cols, [1.0] * len(cols), -inf, most)
        coefs = [float(b * candidates[i].teacher.backbone - a) for i in cols]
        if any(c < 0 for c in coefs):
            row(cols, coefs, 0, inf)
    for key, cols in by_need.items():
        if len(cols) > cluster.needs[key]:
            row(cols, [1.0] * len(cols), -inf, cluster.needs[key])
    for w in weaker:
        cols = by_weaker[w]
        most = min(
            len({candidates[i].teacher.staff_number for i in cols}),
            sum(n for k, n in cluster.needs.items() if k[0] == w),
        )
        row([*cols, team_col[w]], [1.0] * len(cols) + [-float(options.team_minimum)], 0, inf)
        row([*cols, team_col[w]], [1.0] * len(cols) + [-float(most)], -inf, 0)

    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(rows_lower)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.array(rows_lower)
    lp.row_upper_ = np.array(rows_upper)
    lp.integrality_ = integrality
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = len(rows_lower)
    lp.a_matrix_.start_ = np.array([*starts, len(index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)

    highs = new_highs()
    highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    highs.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    highs.setOptionValue("threads", 1)
    if options.time_limit is not None:
        highs.setOptionValue("time_limit", float(options.time_limit))
    relaxed = relaxation_plan(highs, lp, candidates, by_weaker, options.team_minimum if teams else 0)
    if relaxed is not None:
        return relaxed
    lp.integrality_ = integrality
    highs.passModel(lp)
    highs.run()
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = OPTIMAL
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = TIME_LIMIT
    elif model_status == highspy.HighsModelStatus.kInfeasible and options.pinned:
        raise Infeasible(pins_refused(cluster, options))
    else:  # without pins, x = 0, s = R, y = 0 is always feasible: anything else is a fault of the model
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(model_status)} in cluster {cluster.code}")
    if info.primal_solution_status == 0:  # no plan found before the time limit: the empty plan stands
        chosen: list[Candidate] = []
    else:
        solution = highs.getSolution().col_value
        chosen = [c for i, c in enumerate(candidates) if solution[i] > 0.5]
    return Solved(chosen, status, min(float(info.mip_dual_bound), trivial_bound(candidates)))


def pins_refused(cluster: Cluster, options: Options) -> str:
    """Why no plan keeps both the pins and the rules: the upper bound or a need the pinned pairs exceed alone, or
    else the backbone share or the team minimum, which further teachers might have met and cannot."""
    pins = pinned_candidates(cluster, options)
    broken = violations(cluster, pins, replace(options, teams=False, backbone_share=Decimal(0)))
    if broken:
        return "固定的安排本身违反了规则（" + "；".join(broken) + "）：请取消部分固定的安排"
    return (
        f"固定的安排无法与骨干教师占比（{options.backbone_share:%}）或组团流入（每校 0 人或不少于 "
        f"{options.team_minimum} 人）的要求同时满足：请取消部分固定的安排，或增加需求"
    )


def trivial_bound(candidates: list[Candidate]) -> float:
    """A bound no plan can beat, for when the time limit comes before HiGHS has proven one: each teacher at their
    best school, no shortfall penalised."""
    best: dict[str, float] = {}
    for c in candidates:
        best[c.teacher.staff_number] = max(best.get(c.teacher.staff_number, 0.0), c.weight)
    return sum(best.values())


INTEGRAL = 1e-9


def relaxation_plan(
    highs: Any, lp: Any, candidates: list[Candidate], by_weaker: dict[str, list[int]], team_minimum: int
) -> Solved | None:
    """The linear relaxation first (most clusters' is solved in a fraction of the MIP's time): when its optimal
    x(t, w) are all 0 or 1 and every weaker school receives 0 or at least the team minimum by them, that plan is
    the MIP's optimum — y(w) = [w receives anyone] makes it feasible at the same objective, and no plan can beat
    the relaxation's optimum, which is therefore the proven bound. Else None, and the MIP is solved."""
    lp.integrality_ = []
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = np.asarray(highs.getSolution().col_value)[: len(candidates)]
    if np.any(np.minimum(np.abs(solution), np.abs(solution - 1)) > INTEGRAL):
        return None
    chosen = solution > 0.5
    if team_minimum and any(0 < int(chosen[cols].sum()) < team_minimum for cols in by_weaker.values()):
        return None
    return Solved(
        [c for c, x in zip(candidates, chosen, strict=True) if x],
        OPTIMAL,
        float(highs.getInfo().objective_function_value),
    )
