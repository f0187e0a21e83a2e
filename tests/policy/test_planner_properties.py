"""The rotation planner on small random clusters (hypothesis): the optimal plan keeps every rule, its objective is
the best of all plans (enumerated: each teacher stays or goes to one of its admissible schools), it is no worse
than the greedy plan under the same objective, and the reported bound is proven (≥ the objective)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.policy.planner import Need, Options, School, Teacher, plan_cluster
from junheng.policy.planner.greedy import greedy
from junheng.policy.planner.model import solve
from junheng.policy.planner.problem import Candidate, Cluster, clusters_of, objective_of, violations

SUBJECTS = ("数学", "美术")  # one exam-scored, one not
STAGE_SETS = (frozenset({"primary"}), frozenset({"junior"}), frozenset({"primary", "junior"}))


@st.composite
def instances(draw: st.DrawFn) -> tuple[Cluster, Options]:
    n_quality = draw(st.integers(1, 2))
    n_weaker = draw(st.integers(1, 2))
    point = st.tuples(st.floats(121.0, 122.0), st.floats(30.7, 31.9))
    schools = []
    for i in range(n_quality):
        lon, lat = draw(point)
        schools.append(School(f"Q{i}", "C", "quality", frozenset({"primary", "junior"}), lon, lat))
    for i in range(n_weaker):
        lon, lat = draw(point)
        schools.append(School(f"W{i}", "C", "weaker", draw(st.sampled_from(STAGE_SETS)), lon, lat))
    n_teachers = draw(st.integers(1, 6))
    teachers = [
        Teacher(
            f"T{i}",
            f"Q{draw(st.integers(0, n_quality - 1))}",
            draw(st.sampled_from(SUBJECTS)),
            draw(st.sampled_from(("primary", "junior"))),
            draw(st.booleans()),
        )
        for i in range(n_teachers)
    ]
    needs = [
        Need(w.code, subject, stage, draw(st.integers(0, 3)))
        for w in schools[n_quality:]
        for subject in SUBJECTS
        for stage in sorted(w.stages)
    ]
    options = Options(
        quota_share=draw(st.sampled_from([Decimal("0.20"), Decimal("0.34"), Decimal("0.5")])),
        backbone_share=draw(st.sampled_from([Decimal("0.30"), Decimal("0.5")])),
        team_minimum=draw(st.integers(2, 3)),
        max_share=draw(st.sampled_from([None, Decimal("0.25"), Decimal("0.8"), Decimal(1)])),
        teams=draw(st.booleans()),
    )
    (cluster,) = clusters_of(teachers, schools, needs)
    return cluster, options


def brute_force(cluster: Cluster, options: Options) -> float:
    """The best objective over every plan that keeps the rules."""
    by_teacher: dict[str, list[Candidate | None]] = {}
    for c in cluster.candidates:
        by_teacher.setdefault(c.teacher.staff_number, [None]).append(c)
    best = objective_of(cluster, [], options)
    for choice in itertools.product(*by_teacher.values()):
        chosen = [c for c in choice if c is not None]
        if not violations(cluster, chosen, options):
            best = max(best, objective_of(cluster, chosen, options))
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_optimal_plan_keeps_the_rules_and_is_the_best(instance: tuple[Cluster, Options]) -> None:
    cluster, options = instance
    solved = solve(cluster, options)
    assert solved.status == "optimal"
    assert violations(cluster, solved.chosen, options) == []
    objective = objective_of(cluster, solved.chosen, options)
    assert abs(objective - brute_force(cluster, options)) <= 1e-6
    assert solved.bound >= objective - 1e-6

    baseline = greedy(cluster, options)
    assert violations(cluster, baseline, options) == []
    assert objective >= objective_of(cluster, baseline, options) - 1e-9

    result = plan_cluster(cluster, options)
    assert abs(result.objective - objective) <= 1e-5
    for school in result.schools:
        assert school.shortfall == max(0, school.required - school.sent)
        assert bool(school.reason) == (school.shortfall > 0)


@st.composite
def changed_instances(draw: st.DrawFn) -> tuple[Cluster, Options]:
    """An instance whose teachers may be away or already arranged, with pairs forbidden and pinned by hand."""
    cluster, options = draw(instances())
    weaker = [w.code for w in cluster.weaker]
    teachers, schools, needs = [], cluster.quality + cluster.weaker, []
    for listed in cluster.teachers.values():
        for t in listed:
            status = draw(st.sampled_from(("free", "free", "away", "arranged")))
            teachers.append(
                Teacher(
                    t.staff_number,
                    t.school_code,
                    t.subject,
                    t.stage,
                    t.backbone,
                    available=status != "away",
                    arranged_to=draw(st.sampled_from(weaker)) if status == "arranged" else "",
                )
            )
    needs = [Need(w, s, g, n) for (w, s, g), n in cluster.needs.items()]
    pairs = [(t.staff_number, w) for t in teachers for w in weaker]
    forbidden = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=2))) if pairs else frozenset()
    (changed,) = clusters_of(teachers, schools, needs, forbidden)
    pins = [(c.teacher.staff_number, c.school.code) for c in changed.candidates]
    pinned = (
        frozenset(draw(st.lists(st.sampled_from(pins), max_size=1, unique=True))) if pins else frozenset()
    )
    return changed, Options(**{**options.__dict__, "pinned": pinned, "forbidden": forbidden})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changed_instances())
def test_changes_by_hand_and_arranged_teachers_keep_the_plan_exact(instance: tuple[Cluster, Options]) -> None:
    """Pins are in the plan, forbidden pairs are not, those arranged or away are never planned, and the plan is
    still the best of all plans that keep the rules and the pins — or there is none, and the plan is refused."""
    from junheng.policy.planner import Infeasible

    cluster, options = instance
    unplanned = {t.staff_number for listed in cluster.counted.values() for t in listed}
    by_teacher: dict[str, list[Candidate | None]] = {}
    for c in cluster.candidates:
        assert c.teacher.staff_number not in unplanned
        assert (c.teacher.staff_number, c.school.code) not in options.forbidden
        pinned = (c.teacher.staff_number, c.school.code) in options.pinned
        by_teacher.setdefault(c.teacher.staff_number, [] if pinned else [None]).append(c)
    best = None
    for choice in itertools.product(*by_teacher.values()):
        chosen = [c for c in choice if c is not None]
        taken = {(c.teacher.staff_number, c.school.code) for c in chosen}
        if options.pinned <= taken and not violations(cluster, chosen, options):
            value = objective_of(cluster, chosen, options)
            best = value if best is None else max(best, value)
    try:
        solved = solve(cluster, options)
    except Infeasible:
        assert best is None
        return
    assert best is not None and abs(objective_of(cluster, solved.chosen, options) - best) <= 1e-6
    assert options.pinned <= {(c.teacher.staff_number, c.school.code) for c in solved.chosen}
    result = plan_cluster(cluster, options)
    for school in result.schools:
        arranged = len(cluster.arranged(school.school_code))
        assert school.sent == arranged + sum(
            1 for c in solved.chosen if c.teacher.school_code == school.school_code
        )
        assert school.shortfall == max(0, school.required - school.sent)
