"""The rotation planner's problem, as plain data: who may rotate where, what each assignment is worth, and the
check that a plan keeps every rule (issue 15, "The problem, exactly").

Nothing here reads the database or a file: analyst mode fills these dataclasses from three CSV files
(`files.py`), platform mode from the platform's records; both hand them to `plan()` (`__init__.py`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from junheng.policy.analyst import haversine_km
from junheng.staffing.choices import EXAM_SCORED_SUBJECTS, SUBJECT_ALIASES

PRIMARY, JUNIOR = "primary", "junior"
STAGES = (PRIMARY, JUNIOR)
QUALITY, WEAKER = "quality", "weaker"
SHORTFALL_PENALTY = 1000
KM_WEIGHT = 0.001


@dataclass(frozen=True)
class Teacher:
    staff_number: str
    school_code: str
    subject: str
    stage: str  # primary | junior
    backbone: bool
    eligible: bool = True
    # Away in another rotation: counted among the eligible E(q), never planned.
    available: bool = True
    # The weaker school the teacher is already arranged to go to in the year (a rotation on the platform): counted
    # as sent by its school and in that school's need, never planned again.
    arranged_to: str = ""


@dataclass(frozen=True)
class School:
    code: str
    cluster: str
    tier: str  # quality | weaker
    stages: frozenset[str]
    lon: float
    lat: float


@dataclass(frozen=True)
class Need:
    school_code: str
    subject: str
    stage: str
    need: int


@dataclass(frozen=True)
class Options:
    """The edition's numbers and the user's choices. `quota_share`, `backbone_share` and `team_minimum` are the
    edition's R-C2.rotation_share, R-C2.backbone_share and R-C4.team_inflow; `max_share` is `--max-share`
    (None: the quota share, so a school sends exactly its quota)."""

    quota_share: Decimal
    backbone_share: Decimal
    team_minimum: int
    max_share: Decimal | None = None
    teams: bool = True
    method: str = "optimal"  # optimal | greedy
    time_limit: float | None = None  # seconds per cluster
    # Changes by hand, as (staff number, weaker school code): a pinned pair is in the plan, a forbidden one is not.
    pinned: frozenset[tuple[str, str]] = frozenset()
    forbidden: frozenset[tuple[str, str]] = frozenset()

    @property
    def upper_share(self) -> Decimal:
        return self.quota_share if self.max_share is None else self.max_share


def share_of(share: Decimal, count: int) -> int:
    """⌈share × count⌉, exactly: 20% of 15 is 3, never 4 from floating-point error."""
    return int((share * count).to_integral_value(rounding=ROUND_CEILING))


def share_ratio(share: Decimal) -> tuple[int, int]:
    """The share as integers a/b (0.30 → 3/10), so `backbone ≥ share · sent` is kept exactly as
    b · backbone − a · sent ≥ 0."""
    numerator, denominator = share.as_integer_ratio()
    return numerator, denominator


def canonical_subject(subject: str) -> str:
    """The subject by the examination's name (英语 → 外语), so that a teacher's subject and a need match."""
    subject = subject.strip()
    return SUBJECT_ALIASES.get(subject, subject)


def distance_km(a: School, b: School) -> float:
    return haversine_km(a.lon, a.lat, b.lon, b.lat)


@dataclass(frozen=True)
class Candidate:
    """One admissible pair x(t, w), with its value v and distance d."""

    teacher: Teacher
    school: School  # the weaker school
    value: int
    km: float

    @property
    def weight(self) -> float:
        return self.value - KM_WEIGHT * self.km


@dataclass
class Cluster:
    """One cluster's data, ready to plan: its quality schools with their eligible teachers, its weaker schools with
    their needs by (subject, stage), and the admissible pairs."""

    code: str
    quality: list[School]
    weaker: list[School]
    teachers: dict[str, list[Teacher]]  # eligible teachers free to go, by quality school code
    needs: dict[tuple[str, str, str], int]  # (weaker school code, subject, stage) → need still open
    candidates: list[Candidate] = field(default_factory=list)
    # eligible teachers who are not planned, by quality school code: already arranged this year, or away
    counted: dict[str, list[Teacher]] = field(default_factory=dict)

    def eligible(self, school: str) -> int:
        """E(q): all the school's eligible teachers, those not planned included."""
        return len(self.teachers.get(school, [])) + len(self.counted.get(school, []))

    def arranged(self, school: str) -> list[Teacher]:
        """The school's teachers already arranged to go to a weaker school of the cluster this year."""
        return [t for t in self.counted.get(school, []) if t.arranged_to]

    def to_send(self, school: str, share: Decimal) -> int:
        """⌈share · E(q)⌉ less those already arranged: what the plan has still to send (or may still send)."""
        return max(0, share_of(share, self.eligible(school)) - len(self.arranged(school)))


def value_of(teacher: Teacher, school: School) -> int:
    """v(t, w): 2 when w teaches the junior stage, t is a junior teacher of an exam-scored subject, else 1."""
    scored = canonical_subject(teacher.subject) in EXAM_SCORED_SUBJECTS
    return 2 if JUNIOR in school.stages and teacher.stage == JUNIOR and scored else 1


def clusters_of(
    teachers: Iterable[Teacher],
    schools: Iterable[School],
    needs: Iterable[Need],
    forbidden: frozenset[tuple[str, str]] = frozenset(),
) -> list[Cluster]:
    """The data by cluster, in the order of the cluster codes, with the admissible pairs: t eligible at a quality
    school of the cluster, w a weaker school of the same cluster, t's stage among w's, need(w, subject, stage) > 0,
    and (t, w) not forbidden by hand. Teachers of a weaker school and ineligible teachers are no candidates (and
    not counted in E(q))."""
    by_code = {s.code: s for s in schools}
    grouped: dict[str, Cluster] = {}
    for school in sorted(by_code.values(), key=lambda s: s.code):
        cluster = grouped.setdefault(school.cluster, Cluster(school.cluster, [], [], {}, {}))
        (cluster.quality if school.tier == QUALITY else cluster.weaker).append(school)
    for teacher in teachers:
        home = by_code.get(teacher.school_code)
        if teacher.eligible and home is not None and home.tier == QUALITY:
            planned = teacher.available and not teacher.arranged_to
            by_school = grouped[home.cluster].teachers if planned else grouped[home.cluster].counted
            by_school.setdefault(home.code, []).append(teacher)
    for need in needs:
        host = by_code.get(need.school_code)
        if host is not None and host.tier == WEAKER and need.need > 0:
            key = (host.code, canonical_subject(need.subject), need.stage)
            cluster = grouped[host.cluster]
            cluster.needs[key] = cluster.needs.get(key, 0) + need.need
    for cluster in grouped.values():
        for quality in cluster.quality:  # those already arranged take their part of the need
            for teacher in cluster.arranged(quality.code):
                key = (teacher.arranged_to, canonical_subject(teacher.subject), teacher.stage)
                if cluster.needs.get(key):
                    cluster.needs[key] -= 1
        cluster.needs = {key: n for key, n in cluster.needs.items() if n > 0}
        for listed in cluster.teachers.values():
            listed.sort(key=lambda t: t.staff_number)
        for quality in cluster.quality:
            for teacher in cluster.teachers.get(quality.code, []):
                subject = canonical_subject(teacher.subject)
                for weaker in cluster.weaker:
                    if (
                        teacher.stage in weaker.stages
                        and cluster.needs.get((weaker.code, subject, teacher.stage))
                        and (teacher.staff_number, weaker.code) not in forbidden
                    ):
                        km = distance_km(quality, weaker)
                        cluster.candidates.append(Candidate(teacher, weaker, value_of(teacher, weaker), km))
    return [grouped[code] for code in sorted(grouped)]


class Infeasible(Exception):
    """The changes made by hand leave no plan that keeps the rules; the message says which, in Chinese."""


def pinned_candidates(cluster: Cluster, options: Options) -> list[Candidate]:
    """The cluster's pinned pairs, each an admissible pair, each teacher pinned once; else Infeasible, naming the
    pair."""
    mine = {t.staff_number for listed in cluster.teachers.values() for t in listed}
    weaker = {w.code for w in cluster.weaker}
    wanted = [(t, w) for t, w in sorted(options.pinned) if t in mine or w in weaker]
    by_pair = {(c.teacher.staff_number, c.school.code): c for c in cluster.candidates}
    times = Counter(t for t, _w in wanted)
    for teacher, school in wanted:
        if times[teacher] > 1:
            raise Infeasible(f"教师 {teacher} 被固定到了不止一所学校：每名教师至多轮岗一处")
        if (teacher, school) not in by_pair:
            raise Infeasible(
                f"固定的安排 {teacher} → {school} 不可行：该教师须是本集群优质校的符合条件教师，"
                f"{school} 须是本集群的相对薄弱校，且在该教师的学科、学段上有需求"
            )
    return [by_pair[pair] for pair in wanted]


# Checking a plan -------------------------------------------------------------------------------------------------


def objective_of(cluster: Cluster, chosen: list[Candidate], options: Options) -> float:
    """The objective of a plan: Σ v·x − 0.001 · Σ d·x − 1000 · Σ_q s(q), with s(q) the quota's shortfall."""
    sent = Counter(c.teacher.school_code for c in chosen)
    slack = sum(max(0, cluster.to_send(q.code, options.quota_share) - sent[q.code]) for q in cluster.quality)
    return float(sum(c.weight for c in chosen) - SHORTFALL_PENALTY * slack)


STAGE_NAMES = {PRIMARY: "小学", JUNIOR: "初中"}


def violations(cluster: Cluster, chosen: list[Candidate], options: Options) -> list[str]:
    """Every hard rule the plan breaks, in Chinese (empty for a plan that keeps them all): admissible pairs, each
    teacher at most once, the upper bound ⌈m·E(q)⌉, the backbone share, the need per (w, subject, stage), the
    team minimum."""
    problems = []
    admissible = {(c.teacher.staff_number, c.school.code) for c in cluster.candidates}
    for c in chosen:
        if (c.teacher.staff_number, c.school.code) not in admissible:
            problems.append(f"{c.teacher.staff_number} → {c.school.code} 不是可选的安排")
    times = Counter(c.teacher.staff_number for c in chosen)
    problems += [f"教师 {t} 被安排了 {n} 次" for t, n in times.items() if n > 1]
    a, b = share_ratio(options.backbone_share)
    for q in cluster.quality:
        mine = [c for c in chosen if c.teacher.school_code == q.code]
        upper = cluster.to_send(q.code, options.upper_share)
        if len(mine) > upper:
            problems.append(f"{q.code} 派出 {len(mine)} 人，超过上限 {upper} 人")
        backbone = sum(1 for c in mine if c.teacher.backbone)
        if b * backbone < a * len(mine):
            problems.append(
                f"{q.code} 派出 {len(mine)} 人中骨干教师 {backbone} 人，低于 {options.backbone_share:%}"
            )
    filled: Counter[tuple[str, str, str]] = Counter(
        (c.school.code, canonical_subject(c.teacher.subject), c.teacher.stage) for c in chosen
    )
    problems += [
        f"{w} 的{subject}（{STAGE_NAMES.get(stage, stage)}）需求 {cluster.needs.get((w, subject, stage), 0)} 人，"
        f"安排了 {n} 人"
        for (w, subject, stage), n in filled.items()
        if n > cluster.needs.get((w, subject, stage), 0)
    ]
    if options.teams:
        received = Counter(c.school.code for c in chosen)
        problems += [
            f"{w} 接收 {n} 人，少于组团流入的 {options.team_minimum} 人"
            for w, n in received.items()
            if 0 < n < options.team_minimum
        ]
    return problems


def candidates_by_teacher(cluster: Cluster) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = defaultdict(list)
    for c in cluster.candidates:
        found[c.teacher.staff_number].append(c)
    return found
