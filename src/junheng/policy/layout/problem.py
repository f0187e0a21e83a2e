"""The layout advisor's problem, as plain data (issue 17, item 5): a district's schools, the bounds on a cluster's
size, the groups that are laid out independently, and the checks anyone can run on a layout.

A layout maps every school's code to its lead's code (a lead maps to itself). Nothing here reads the database or a
file: analyst mode fills `School` from a CSV file (`files.py`), platform mode is to fill it from the records.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from junheng.organisations.choices import Stage, Tier
from junheng.policy.analyst import haversine_km

QUALITY, WEAKER = str(Tier.QUALITY.value), str(Tier.WEAKER.value)
SMALLEST = 2  # a lead and one weaker school: the smallest cluster the rules allow
STAGE_NAMES = {
    Stage.PRIMARY: "小学",
    Stage.JUNIOR: "初中",
    Stage.NINE_YEAR: "九年一贯制",
    Stage.COMPLETE_SECONDARY: "完全中学",
    Stage.TWELVE_YEAR: "十二年一贯制",
    Stage.SPECIAL: "特殊教育",
}

Layout = dict[str, str]  # school code → its lead's code


@dataclass(frozen=True)
class School:
    code: str
    district: str
    stage: str  # a value of organisations.choices.Stage
    tier: str  # quality | weaker
    students: int
    lon: float
    lat: float
    cluster: str = ""  # the school's current cluster, where the file says (it only sets the default bounds)


@dataclass(frozen=True)
class Options:
    """`--min-size`, `--max-size` (None: the district's default, see `bounds_of`) and `--mixed-stages`."""

    min_size: int | None = None
    max_size: int | None = None
    mixed_stages: bool = False


@dataclass(frozen=True)
class Group:
    """Schools laid out on their own: a district's, or with stages kept apart its schools of one stage (a cluster
    then never holds two stages, so the stages' layouts do not touch)."""

    district: str
    stage: str | None  # None with --mixed-stages
    schools: tuple[School, ...]
    min_size: int
    max_size: int | None  # None: no bound

    @property
    def most(self) -> int:
        """The most schools a cluster may hold: the bound, else the group's schools."""
        return len(self.schools) if self.max_size is None else self.max_size

    @property
    def quality(self) -> list[School]:
        return [s for s in self.schools if s.tier == QUALITY]

    @property
    def weaker(self) -> list[School]:
        return [s for s in self.schools if s.tier == WEAKER]

    @property
    def name(self) -> str:
        return self.district if self.stage is None else f"{self.district}{stage_name(self.stage)}学段"


def stage_name(stage: str) -> str:
    return STAGE_NAMES.get(Stage(stage), stage) if stage in Stage.values else stage


def distance_km(a: School, b: School) -> float:
    return haversine_km(a.lon, a.lat, b.lon, b.lat)


def bounds_of(schools: list[School], options: Options) -> tuple[int, int | None]:
    """A district's size bounds. Given on the command line, they hold in every district. Else, as issue 17 asks,
    its current smallest and largest cluster, where the file names each school's current cluster; a file without
    a current layout sets no bound of its own: at least 2 (a lead and one weaker school, the smallest cluster the
    rules allow) and no upper bound (None)."""
    sizes = Counter(s.cluster for s in schools if s.cluster)
    low = options.min_size if options.min_size is not None else min(sizes.values(), default=SMALLEST)
    high = options.max_size if options.max_size is not None else max(sizes.values(), default=None)
    return low, high


def groups_of(schools: Iterable[School], options: Options) -> list[Group]:
    """The independent problems, by district (then stage), in the order of their codes; each district's schools
    by code."""
    by_district: dict[str, list[School]] = defaultdict(list)
    for school in sorted(schools, key=lambda s: s.code):
        by_district[school.district].append(school)
    groups = []
    for district in sorted(by_district):
        members = by_district[district]
        low, high = bounds_of(members, options)
        if options.mixed_stages:
            groups.append(Group(district, None, tuple(members), low, high))
            continue
        for stage in sorted({s.stage for s in members}):
            group = tuple(s for s in members if s.stage == stage)
            groups.append(Group(district, stage, group, low, high))
    return groups


def impossibility(group: Group) -> str | None:
    """Why no layout of the group keeps the rules, in Chinese, or None when one does.

    This is exact, not a heuristic: with n schools, Q quality and W weaker (n = Q + W), bounds lo..hi, a layout of
    k clusters exists if and only if k ≤ Q (a lead each), k ≤ W (a weaker school each) and k·lo ≤ n ≤ k·hi —
    give k leads a weaker school each and share out the rest, which 2k ≤ Q + W = n allows. So HiGHS is only
    asked when a layout exists."""
    n, q, w = len(group.schools), len(group.quality), len(group.weaker)
    low, high = group.min_size, group.most
    bounds = (
        f"（每个集群 {low}–{high} 所学校，含牵头校）"
        if group.max_size
        else f"（每个集群至少 {low} 所学校，含牵头校）"
    )
    if group.max_size is not None and high < SMALLEST:
        return f"{group.district}：最大规模 {high} 小于 2，而每个集群至少有牵头校和一所相对薄弱校"
    if group.max_size is not None and low > high:
        return f"{group.district}：最小规模 {low} 大于最大规模 {high}，没有集群能满足"
    if q == 0:
        return f"{group.name}没有优质校，无法确定牵头校，相对薄弱校 {'、'.join(s.code for s in group.weaker)} 无集群可加入"
    if w == 0:
        return f"{group.name}没有相对薄弱校，而每个集群至少要有一所相对薄弱校；优质校 {'、'.join(s.code for s in group.quality)} 无法成组"
    fewest = math.ceil(n / high)
    if fewest > min(q, w):
        lacking = f"只有 {q} 所优质校可作牵头校" if q <= w else f"只有 {w} 所相对薄弱校，每个集群至少要有一所"
        return f"{group.name}：{n} 所学校按最大规模 {high} 至少要分成 {fewest} 个集群，但{lacking}{bounds}"
    most = min(q, w, n // low)
    if most < fewest:
        if n < low:
            return f"{group.name}只有 {n} 所学校，少于最小规模 {low}{bounds}"
        return f"{group.name}：{n} 所学校无法分成每个 {low}–{high} 所学校的集群（{q} 所优质校、{w} 所相对薄弱校）"
    return None


# Checking a layout -----------------------------------------------------------------------------------------------


def objective_of(schools: Iterable[School], layout: Layout) -> float:
    """Σ students(s) × d(s, lead(s)), in student-km."""
    by_code = {s.code: s for s in schools}
    return sum(s.students * distance_km(s, by_code[layout[s.code]]) for s in by_code.values())


def violations(
    schools: Iterable[School], layout: Layout, low: int, high: int, mixed_stages: bool
) -> list[str]:
    """Every rule the layout breaks (empty for one that keeps them all): each school in exactly one cluster (the
    layout names a lead for every school and for no other code), the lead a quality school in its own cluster,
    of the same district, at least one weaker school in each cluster, sizes within low..high, one stage per cluster
    unless mixed."""
    by_code = {s.code: s for s in schools}
    problems = [f"{code} is no school" for code in layout if code not in by_code]
    problems += [f"{code} has no cluster" for code in by_code if code not in layout]
    members: dict[str, list[School]] = defaultdict(list)
    for code, lead_code in layout.items():
        if code in by_code:
            members[lead_code].append(by_code[code])
    for lead_code, cluster in members.items():
        lead = by_code.get(lead_code)
        if lead is None:
            problems.append(f"lead {lead_code} is no school")
            continue
        if lead.tier != QUALITY:
            problems.append(f"lead {lead_code} is not a quality school")
        if layout.get(lead_code) != lead_code:
            problems.append(f"lead {lead_code} is not in its own cluster")
        if not any(s.tier == WEAKER for s in cluster):
            problems.append(f"cluster {lead_code} has no weaker school")
        if not low <= len(cluster) <= high:
            problems.append(f"cluster {lead_code} has {len(cluster)} schools, not {low}..{high}")
        problems += [
            f"{s.code} is not of {lead_code}'s district" for s in cluster if s.district != lead.district
        ]
        if not mixed_stages:
            problems += [f"{s.code} is not of {lead_code}'s stage" for s in cluster if s.stage != lead.stage]
    return problems
