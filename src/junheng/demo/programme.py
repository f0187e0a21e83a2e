"""Demo work of the hand-in-hand plan (演示数据): district-level pairings of demo schools (R-B17) with resident
teams, interactions, baselines, plans, evaluations and review events, so that the compliance board has something to
show. The official roster's pairings get no synthetic work: their records are the districts' to make."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.organisations.models import ClusterMembership, District
from junheng.programmes.models import (
    BaselineAssessment,
    Evaluation,
    Interaction,
    InteractionActivity,
    Pairing,
    ProgrammeRound,
    ResidentAssignment,
    ReviewEvent,
    ThreeYearPlan,
)
from junheng.programmes.roster import DEFAULT_ROUND

from .city import DEMO_MARK, TODAY
from .courses import demo_courses_build, demo_courses_remove
from .facilities import demo_facilities_build, demo_facilities_remove
from .flow import demo_flow_build, demo_flow_remove
from .library import demo_library_build, demo_library_remove
from .planning import demo_needs_build, demo_needs_remove
from .research import demo_research_build, demo_research_remove

FIRST_DEMO_SEQUENCE = 1001  # the roster's own numbers stay below
ONLINE_ACTIVITIES = [a for a in InteractionActivity if a != InteractionActivity.OTHER]
# A later cohort of demo pairings, starting in the round's last month.
LATER_ROUND = {
    "name": "城乡学校携手共进计划后续结对（演示）",
    "start_date": date(2023, 12, 1),
    "end_date": date(2026, 11, 30),
}
LATER_COHORT_EVERY = 5  # one weaker school in five joins the later cohort
# The day the demo's pairings show every status of the plan's rules (`junheng compliance --edition S1 --as-of`):
# the round's last weeks, a fortnight before the later cohort starts.
AS_OF = date(2023, 11, 15)


def demo_work_remove() -> None:
    demo_courses_remove()
    demo_needs_remove()
    demo_library_remove()
    demo_flow_remove()
    demo_facilities_remove()
    demo_research_remove()
    Pairing.objects.filter(supported_school__is_demo=True).delete()  # their work goes with them
    ReviewEvent.objects.filter(is_demo=True).delete()
    ProgrammeRound.objects.filter(name=LATER_ROUND["name"]).delete()


def _month_starts(start: date, end: date) -> list[date]:
    months, day = [], date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


@transaction.atomic
def demo_work_build(size: str) -> dict[str, int]:
    """Each weaker school of a demo cluster is paired with its cluster's lead school, in the official round or the
    later cohort; diligence varies by pairing. The model clusters' teacher flow (flow.py) is built with it."""
    rng = random.Random(f"junheng-demo-work-{size}")
    programme_round = ProgrammeRound.objects.filter(name=DEFAULT_ROUND["name"]).first()
    if programme_round is None:
        programme_round = ProgrammeRound.objects.create(**DEFAULT_ROUND)
    later = ProgrammeRound.objects.create(**LATER_ROUND)
    weaker = (
        ClusterMembership.objects.filter(cluster__is_demo=True, tier="weaker")
        .select_related("cluster__lead_school", "school__district")
        .order_by("cluster__district__code", "cluster__name", "school__code")
    )
    pairings = [
        Pairing(
            round=later if number % LATER_COHORT_EVERY == 2 else programme_round,
            kind="entrusted" if number % 2 else "mutual_growth",
            sequence=FIRST_DEMO_SEQUENCE + number,
            supported_school=membership.school,
            supporting_school=membership.cluster.lead_school,
            project_title="" if number % 2 else "课堂教学效益提升（演示）",
            created_by_district=membership.school.district,
        )
        for number, membership in enumerate(weaker)
    ]
    pairings = bulk_create_with_history(pairings, Pairing, batch_size=2000, default_change_reason=DEMO_MARK)
    made = {"pairings": len(pairings), "residents": 0, "interactions": 0, "events": 0}
    for cohort in (programme_round, later):
        saved = Pairing.objects.filter(sequence__gte=FIRST_DEMO_SEQUENCE, round=cohort).order_by("sequence")
        for name, number in _work(rng, cohort, list(saved)).items():
            made[name] += number
        made["events"] += _events(rng, cohort)
    made.update(demo_flow_build(size))  # the model clusters' teacher flow
    made.update(demo_needs_build())  # the weaker schools' needs, for the rotation planner
    made.update(demo_library_build(size))  # the clusters' resource library, culture and student activities
    made.update(demo_facilities_build(size))  # the clusters' facility sharing
    made.update(demo_research_build(size))  # their joint research, visits and probation
    made.update(demo_courses_build(size))  # the clusters' shared courses and enrolment
    return made


def _work(rng: random.Random, programme_round: ProgrammeRound, pairings: list[Pairing]) -> dict[str, int]:
    """Nothing is dated after the demo's day (city.TODAY)."""
    start, end = programme_round.start_date, programme_round.end_date
    residents, interactions, baselines, plans, evaluations = [], [], [], [], []
    for pairing in pairings:
        diligence = rng.choice([1.3, 1.1, 1.0, 0.8, 0.5])  # on-site visits a month, on average
        if pairing.kind == "entrusted":
            team = rng.choice([2, 3, 3, 4, 4])
            for index in range(team):
                leaving = rng.random()
                leaves = (
                    start + timedelta(days=rng.randint(400, 1000))
                    if leaving < 0.25
                    else end - timedelta(days=rng.randint(1, 40))  # goes back in the round's last weeks
                    if leaving < 0.4
                    else None
                )
                residents.append(
                    ResidentAssignment(
                        pairing=pairing,
                        person_name=f"常驻{index + 1}",
                        start_date=start + timedelta(days=rng.randint(0, 60)),
                        end_date=leaves,
                        role="manager" if index == 0 and rng.random() < 0.9 else "subject_teacher",
                    )
                )
        for month in _month_starts(start, min(end, TODAY - timedelta(days=27))):
            visits = int(diligence) + (rng.random() < diligence - int(diligence))
            interactions += [
                Interaction(
                    pairing=pairing,
                    date=month + timedelta(days=rng.randint(0, 27)),
                    kind="on_site",
                    activity=rng.choice(list(InteractionActivity)),
                    participants=rng.randint(2, 12),
                    subjects="语文、数学",
                )
                for _ in range(visits)
            ]
            if rng.random() < 0.5:
                interactions.append(
                    Interaction(
                        pairing=pairing,
                        date=month + timedelta(days=rng.randint(0, 27)),
                        kind="online",
                        activity=rng.choice(ONLINE_ACTIVITIES),
                        participants=rng.randint(5, 40),
                        subjects="语文、数学、英语",
                    )
                )
        if rng.random() < 0.9:
            baselines.append(
                BaselineAssessment(
                    pairing=pairing,
                    assessed_on=start + timedelta(days=rng.randint(-60, 50)),
                    key_problems="教学质量有待提升（演示）",
                    green_indicator_source="2020年绿色指标报告",
                )
            )
        runs_from = start + timedelta(days=rng.choice([0, 90, 90]))  # from the start, or after a term's work
        approved = runs_from - timedelta(days=rng.randint(-30, 40))
        plans.append(
            ThreeYearPlan(
                pairing=pairing,
                title=f"{pairing.supported_school.name}三年发展规划",
                status="approved",
                submitted_on=approved - timedelta(days=rng.randint(14, 45)),
                approved_on=approved,
                runs_from=runs_from,
            )
        )
        for kind, due_month, chance in (("mid_term", 18, 0.85), ("performance", 36, 0.7)):
            completed = start + timedelta(days=int(due_month * 30.4) - rng.randint(-20, 60))
            if rng.random() < chance and completed <= TODAY:
                evaluations.append(Evaluation(pairing=pairing, kind=kind, completed_on=completed))
    for model, rows in (
        (ResidentAssignment, residents),
        (Interaction, interactions),
        (BaselineAssessment, baselines),
        (ThreeYearPlan, plans),
        (Evaluation, evaluations),
    ):
        bulk_create_with_history(rows, model, batch_size=5000, default_change_reason=DEMO_MARK)
    return {"residents": len(residents), "interactions": len(interactions)}


def _events(rng: random.Random, programme_round: ProgrammeRound) -> int:
    """Each district holds a summary most half-years and a site meeting most years, in the round up to the demo's
    day; some early in the half-year or year, some late."""
    events: list[Any] = []
    start, end = programme_round.start_date, min(programme_round.end_date, TODAY)
    for district in District.objects.order_by("code"):
        for year in range(start.year, end.year + 1):
            for months, kind, chance in (
                ((5, 6), "half_year_summary", 0.85),
                ((10, 12), "half_year_summary", 0.85),
                ((5, 11), "site_meeting", 0.8),
            ):
                held = date(year, rng.choice(months), rng.randint(1, 25))
                if rng.random() < chance and start <= held <= end:
                    events.append(
                        ReviewEvent(
                            round=programme_round,
                            district=district,
                            kind=kind,
                            date=held,
                            title=f"{district.name}{year}年{'总结活动' if kind == 'half_year_summary' else '现场会'}（演示）",
                            is_demo=True,
                        )
                    )
    bulk_create_with_history(events, ReviewEvent, batch_size=1000, default_change_reason=DEMO_MARK)
    return len(events)
