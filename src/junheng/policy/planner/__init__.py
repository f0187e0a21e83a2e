"""The rotation planner (issue 15): which quality schools' eligible teachers rotate into which weaker schools of
their cluster, so that the S2 二(二) quotas hold and the weaker schools get the teachers they lack.

`plan(teachers, schools, needs, options)` is the whole of it, on plain dataclasses (`problem.py`): analyst mode
feeds it from three CSV files (`files.py`), platform mode from the platform's records. Each cluster is planned on
its own, by the mixed-integer programme (`model.py`) or the greedy baseline (`greedy.py`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from .greedy import greedy
from .model import TIME_LIMIT, solve
from .problem import (
    Candidate,
    Cluster,
    Infeasible,
    Need,
    Options,
    School,
    Teacher,
    canonical_subject,
    clusters_of,
    objective_of,
    pinned_candidates,
    share_of,
)

GREEDY = "greedy"  # the status of a greedy plan: nothing is proven of it, and its bound is null

__all__ = ["Infeasible", "Need", "Options", "PlanResult", "School", "Teacher", "plan", "plan_cluster"]


@dataclass
class SchoolResult:
    school_code: str
    eligible: int
    required: int
    sent: int
    backbone_sent: int
    shortfall: int
    reason: str


@dataclass
class AssignmentResult:
    staff_number: str
    from_: str
    to: str
    subject: str
    stage: str
    km: float

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        return {
            "staff_number": row["staff_number"],
            "from": row["from_"],
            **{k: row[k] for k in ("to", "subject", "stage", "km")},
        }


@dataclass
class ClusterResult:
    cluster: str
    status: str
    objective: float
    bound: float | None
    schools: list[SchoolResult]
    assignments: list[AssignmentResult]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "schools": [asdict(s) for s in self.schools],
            "assignments": [a.as_dict() for a in self.assignments],
        }


@dataclass
class PlanResult:
    clusters: list[ClusterResult] = field(default_factory=list)
    objective: float = 0.0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "clusters": [c.as_dict() for c in self.clusters],
            "objective": self.objective,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanResult:
        """A plan as `as_dict` wrote it (a plan kept on the platform), for its workbook."""
        return cls(
            [
                ClusterResult(
                    c["cluster"],
                    c["status"],
                    c["objective"],
                    c["bound"],
                    [SchoolResult(**s) for s in c["schools"]],
                    [
                        AssignmentResult(
                            a["staff_number"], a["from"], a["to"], a["subject"], a["stage"], a["km"]
                        )
                        for a in c["assignments"]
                    ],
                )
                for c in data["clusters"]
            ],
            data["objective"],
            data["seconds"],
        )


def plan(
    teachers: Iterable[Teacher], schools: Iterable[School], needs: Iterable[Need], options: Options
) -> PlanResult:
    started = time.perf_counter()
    clusters = [
        plan_cluster(cluster, options) for cluster in clusters_of(teachers, schools, needs, options.forbidden)
    ]
    return PlanResult(
        clusters,
        round(sum(c.objective for c in clusters), 6),
        round(time.perf_counter() - started, 3),
    )


def plan_cluster(cluster: Cluster, options: Options) -> ClusterResult:
    """The cluster's plan; Infeasible when the pairs pinned by hand leave none that keeps the rules."""
    pinned_candidates(cluster, options)  # refuses a pin that is no admissible pair
    if options.method == "greedy":
        chosen, status, bound = greedy(cluster, options), GREEDY, None
    else:
        solved = solve(cluster, options)
        chosen, status, bound = solved.chosen, solved.status, solved.bound
        if status == TIME_LIMIT:  # the best plan found in time, or the greedy plan where that is better
            baseline = greedy(cluster, options)
            if objective_of(cluster, baseline, options) > objective_of(cluster, chosen, options):
                chosen = baseline
    objective = objective_of(cluster, chosen, options)
    sent = Counter(c.teacher.school_code for c in chosen)
    backbone = Counter(c.teacher.school_code for c in chosen if c.teacher.backbone)
    schools = []
    for quality in cluster.quality:
        arranged = cluster.arranged(quality.code)
        required = share_of(options.quota_share, cluster.eligible(quality.code))
        shortfall = max(0, cluster.to_send(quality.code, options.quota_share) - sent[quality.code])
        reason = shortfall_reason(cluster, quality, chosen, options) if shortfall else ""
        schools.append(
            SchoolResult(
                quality.code,
                cluster.eligible(quality.code),
                required,
                sent[quality.code] + len(arranged),
                backbone[quality.code] + sum(t.backbone for t in arranged),
                shortfall,
                reason,
            )
        )
    assignments = [
        AssignmentResult(
            c.teacher.staff_number,
            c.teacher.school_code,
            c.school.code,
            c.teacher.subject,
            c.teacher.stage,
            round(c.km, 3),
        )
        for c in sorted(chosen, key=lambda c: (c.teacher.school_code, c.teacher.staff_number))
    ]
    return ClusterResult(
        cluster.code,
        status,
        round(objective, 6),
        None if bound is None else round(max(bound, objective), 6),
        schools,
        assignments,
    )


# Why a shortfall remains -----------------------------------------------------------------------------------------


def shortfall_reason(cluster: Cluster, quality: School, chosen: list[Candidate], options: Options) -> str:
    """Why the school sends fewer than its quota, found by asking which rule binds, the school's own first:

    1. the upper bound: `--max-share` lets it send fewer than its quota;
    2. the need: the most it could send with the cluster's need all to itself, each teacher at most once and no
       more per (weaker school, subject, stage) than the need — Σ over (subject, stage) of
       min(its eligible teachers of that subject and stage, the cluster's need in them) — is below its quota;
    3. the backbone share: the most it could send alone, keeping the need and the backbone share (a MIP of the
       school alone, maximising the number sent), is below its quota;
    4. the team minimum: the same with the team minimum too is below its quota;
    5. otherwise the school could meet its quota alone, so the cluster's other quality schools take the need it
       would fill. The cluster is then solved again without the team minimum: if fewer teachers are short in all,
       the team minimum binds (among several senders); else the need binds, shared with the other schools.
       For a greedy plan, step 5 says the greedy method fell short.

    Steps 3–5 solve relaxations of the cluster's programme; they run only for a school with a shortfall.
    """
    eligible = cluster.eligible(quality.code)
    required = share_of(options.quota_share, eligible)
    upper = share_of(options.upper_share, eligible)
    arranged = len(cluster.arranged(quality.code))
    to_send = cluster.to_send(quality.code, options.quota_share)  # required, less those already arranged
    more = f"（另有已安排的 {arranged} 人，还应派 {to_send} 人）" if arranged else ""
    if upper < required:
        return f"允许派出的上限（--max-share，{eligible} 人的 {percent(options.upper_share)} 即 {upper} 人）低于应派人数 {required} 人"
    teachers = cluster.teachers.get(quality.code, [])
    mine = [c for c in cluster.candidates if c.teacher.school_code == quality.code]
    kinds: dict[tuple[str, str], set[Teacher]] = {}
    schools: dict[tuple[str, str], set[str]] = {}
    for c in mine:
        kind = (canonical_subject(c.teacher.subject), c.teacher.stage)
        kinds.setdefault(kind, set()).add(c.teacher)
        schools.setdefault(kind, set()).add(c.school.code)
    capacity = sum(
        min(len(kinds[kind]), sum(cluster.needs[(w, *kind)] for w in schools[kind])) for kind in kinds
    )
    if capacity < to_send:
        return (
            f"相对薄弱校在本校教师的学科、学段上需求不足：本校 {eligible} 名符合条件的教师中，"
            f"按集群内相对薄弱校的需求最多可派 {capacity} 人，应派 {required} 人{more}"
        )
    alone = Cluster(
        cluster.code,
        [quality],
        cluster.weaker,
        {quality.code: teachers},
        cluster.needs,
        mine,
        {quality.code: cluster.counted.get(quality.code, [])},
    )
    relaxed = replace(options, teams=False, time_limit=None)
    most = len(solve(alone, relaxed, count_only=True).chosen)
    if most < to_send:
        backbone = len({c.teacher for c in mine if c.teacher.backbone})
        return (
            f"骨干教师不足：本校可派的骨干教师 {backbone} 人，骨干教师须占派出人数的 {percent(options.backbone_share)}，"
            f"最多可派 {most} 人，应派 {required} 人{more}"
        )
    if options.teams:
        most = len(solve(alone, replace(relaxed, teams=True), count_only=True).chosen)
        if most < to_send:
            return (
                f"组团流入的要求：每所相对薄弱校接收的教师为 0 人或不少于 {options.team_minimum} 人，"
                f"本校最多可派 {most} 人，应派 {required} 人{more}"
            )
    if options.method == GREEDY:
        return "按就近派出的贪心法未能补足（本校单独派出时可以补足，最优规划可能补足）"
    if options.teams:
        short = sum(
            max(0, cluster.to_send(q.code, options.quota_share) - n) for q, n in _sent(cluster, chosen)
        )
        freed = solve(cluster, relaxed).chosen
        if (
            sum(max(0, cluster.to_send(q.code, options.quota_share) - n) for q, n in _sent(cluster, freed))
            < short
        ):
            return (
                f"组团流入的要求：每所相对薄弱校接收的教师为 0 人或不少于 {options.team_minimum} 人，"
                "与集群内其他优质校派出的教师合计后仍无法补足"
            )
    return "相对薄弱校在本校教师的学科、学段上的需求已由集群内其他优质校派出的教师占满"


def _sent(cluster: Cluster, chosen: list[Candidate]) -> list[tuple[School, int]]:
    sent = Counter(c.teacher.school_code for c in chosen)
    return [(q, sent[q.code]) for q in cluster.quality]


def percent(share: Decimal) -> str:
    """0.30 → 30%."""
    return f"{(share * 100).normalize():f}%"
