"""The layout advisor (issue 17, item 5; SPEC R-A5): for a district, clusters proposed from its schools, as a
mixed-integer programme solved to proven optimality.

`propose(schools, options)` is the whole of it, on plain dataclasses (`problem.py`): every school in exactly one
cluster; each cluster led by a quality school, in its own cluster, and holding at least one weaker school (优质引领，
强弱结合), so every weaker school is taken in; between min-size and max-size schools a cluster, lead included; one
stage per cluster unless mixed; the least Σ students × distance to the lead. Each district, and without mixed
stages each of its stages, is laid out on its own (`groups_of`) by the programme of `model.py`. Analyst mode feeds
it from a CSV file (`files.py`, `command.py`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .model import OPTIMAL, NoLayout, solve
from .problem import WEAKER, Group, Options, School, distance_km, groups_of, impossibility, objective_of

__all__ = ["LayoutResult", "NoLayout", "Options", "School", "propose"]


@dataclass
class ClusterResult:
    lead: str
    district: str
    stage: str  # the lead's; with --mixed-stages the members' may differ
    members: list[str]  # the lead first, then by code
    students: int
    mean_km: (
        float  # per student: Σ students · d / Σ students, the lead's own at 0 km (no students: per school)
    )
    worst_km: float  # the farthest member school from the lead
    weaker: int  # how many weaker schools the cluster takes in


@dataclass
class DistrictResult:
    district: str
    status: str
    objective: float
    bound: float
    min_size: int
    max_size: int | None  # None: no bound
    schools: int
    seconds: float


@dataclass
class LayoutResult:
    status: str
    objective: float
    bound: float
    seconds: float
    clusters: list[ClusterResult] = field(default_factory=list)
    districts: list[DistrictResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "seconds": self.seconds,
            "clusters": [asdict(c) for c in self.clusters],
            "districts": [asdict(d) for d in self.districts],
        }


def propose(schools: Iterable[School], options: Options) -> LayoutResult:
    """The optimal layout of every district. Raises NoLayout, naming each district (and stage) and the bound that
    rules every layout out, when any group has none."""
    started = time.perf_counter()
    groups = groups_of(schools, options)
    reasons = [reason for group in groups if (reason := impossibility(group))]
    if reasons:
        raise NoLayout("没有满足要求的集群布局：\n" + "\n".join(reasons))
    clusters: list[ClusterResult] = []
    districts: dict[str, DistrictResult] = {}
    for group in groups:
        group_started = time.perf_counter()
        solved = solve(group)
        objective = objective_of(group.schools, solved.layout)
        clusters += clusters_of(group, solved.layout)
        district = districts.setdefault(
            group.district,
            DistrictResult(group.district, OPTIMAL, 0.0, 0.0, group.min_size, group.max_size, 0, 0.0),
        )
        district.objective += objective
        district.bound += min(solved.bound, objective)  # a true lower bound; round-off may set HiGHS's above
        district.schools += len(group.schools)
        district.seconds += time.perf_counter() - group_started
    for district in districts.values():
        district.objective, district.bound = round(district.objective, 6), round(district.bound, 6)
        district.seconds = round(district.seconds, 3)
    return LayoutResult(
        OPTIMAL,
        round(sum(d.objective for d in districts.values()), 6),
        round(sum(d.bound for d in districts.values()), 6),
        round(time.perf_counter() - started, 3),
        sorted(clusters, key=lambda c: (c.district, c.lead)),
        list(districts.values()),
    )


def clusters_of(group: Group, layout: dict[str, str]) -> list[ClusterResult]:
    by_code = {s.code: s for s in group.schools}
    found = []
    for lead_code in sorted({lead for lead in layout.values()}):
        lead = by_code[lead_code]
        others = sorted(code for code, of in layout.items() if of == lead_code and code != lead_code)
        members = [lead, *(by_code[code] for code in others)]
        students = sum(s.students for s in members)
        km = [distance_km(s, lead) for s in members]
        weighted = sum(s.students * d for s, d in zip(members, km, strict=True))
        found.append(
            ClusterResult(
                lead_code,
                group.district,
                lead.stage,
                [s.code for s in members],
                students,
                round(weighted / students if students else sum(km) / len(km), 6),
                round(max(km), 6),
                sum(s.tier == WEAKER for s in members),
            )
        )
    return found
