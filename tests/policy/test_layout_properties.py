"""The layout advisor on small random districts (hypothesis, at most 7 schools): the proposed layout keeps every
rule, its objective is the least of all layouts (enumerated: every set of quality schools as leads, every other
school to one of them), its bound is proven (≤ the objective, and equal to it within the gap), and where no layout
keeps the rules the advisor says so rather than proposing one."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.policy.layout import NoLayout, Options, School, propose
from junheng.policy.layout.problem import QUALITY, groups_of, objective_of, violations

DISTRICTS = st.sampled_from(("310101", "310115"))
STAGES = st.sampled_from(("primary", "junior"))
TIERS = st.sampled_from(("quality", "weaker"))


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[School], Options]:
    """One or two groups of schools (a district and a stage each), most with a quality and a weaker school so that
    a layout often exists, and now and then a school of its own that may leave its group none."""
    point = st.tuples(st.floats(121.2, 121.8), st.floats(30.9, 31.4))
    schools: list[School] = []
    for _ in range(draw(st.integers(1, 2))):
        district, stage = draw(DISTRICTS), draw(STAGES)
        size = draw(st.integers(1, 7 - len(schools)))
        lone = size == 1
        for i in range(size):
            tier = draw(TIERS) if lone or i > 1 else ("quality", "weaker")[i]
            lon, lat = draw(point)
            students = draw(st.integers(0, 3000))
            schools.append(School(f"S{len(schools)}", district, stage, tier, students, lon, lat))
        if len(schools) == 7:
            break
    options = Options(
        draw(st.none() | st.integers(1, 4)), draw(st.none() | st.integers(2, 5)), draw(st.booleans())
    )
    return schools, options


def brute_force(schools: list[School], options: Options) -> float | None:
    """The least objective of all layouts keeping the rules, or None when there is none; each district's bounds
    as the advisor reads them."""
    best = 0.0
    for group in groups_of(schools, options):
        members = list(group.schools)
        quality = [s.code for s in members if s.tier == QUALITY]
        least = None
        for k in range(1, len(quality) + 1):
            for leads in itertools.combinations(quality, k):
                others = [s.code for s in members if s.code not in leads]
                for chosen in itertools.product(leads, repeat=len(others)):
                    layout = {**{lead: lead for lead in leads}, **dict(zip(others, chosen, strict=True))}
                    if violations(members, layout, group.min_size, group.most, options.mixed_stages):
                        continue
                    cost = objective_of(members, layout)
                    least = cost if least is None or cost < least else least
        if least is None:
            return None
        best += least
    return best


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_layout_keeps_every_rule_and_is_the_best(instance: tuple[list[School], Options]) -> None:
    schools, options = instance
    optimum = brute_force(schools, options)
    if optimum is None:
        with pytest.raises(NoLayout):
            propose(schools, options)
        return
    result = propose(schools, options)
    layout = {member: c.lead for c in result.clusters for member in c.members}
    assert len(layout) == len(schools) == sum(len(c.members) for c in result.clusters)
    for d in result.districts:
        mine = [s for s in schools if s.district == d.district]
        high = len(mine) if d.max_size is None else d.max_size
        assert (
            violations(mine, {s.code: layout[s.code] for s in mine}, d.min_size, high, options.mixed_stages)
            == []
        )
    assert result.status == "optimal"
    assert result.objective == pytest.approx(optimum, rel=1e-9, abs=1e-6)
    assert result.objective == pytest.approx(objective_of(schools, layout), rel=1e-9, abs=1e-6)
    assert optimum - 1e-6 <= result.bound + 1e-6 and result.bound <= result.objective
    assert result.bound == pytest.approx(result.objective, rel=1e-9, abs=1e-5)
