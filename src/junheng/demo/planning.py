"""Demo rotation needs (演示数据) for the rotation planner: in the demo's school year (2025-2026, starting on
city.TODAY) each weaker school of the demo's clusters asks for teachers in the subjects its cluster's quality
schools teach most, one or two in each, and for every teacher already arranged to arrive that year, so that a
cluster office can plan its cluster on the demo's day. Deterministic: no random draw, everything in a fixed order."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.organisations.choices import Tier
from junheng.organisations.models import ClusterMembership, in_force_on
from junheng.policy.models import RotationNeed
from junheng.policy.planner.problem import canonical_subject
from junheng.policy.planning import PLANNED_STAGES
from junheng.staffing.choices import INFLOW_KINDS
from junheng.staffing.models import Rotation, Teacher

from .city import DEMO_MARK, TODAY

YEAR = TODAY.year
SUBJECTS_ASKED = 3  # per weaker school and stage: the cluster's most taught subjects


def demo_needs_remove() -> None:
    RotationNeed.objects.filter(is_demo=True).delete()


@transaction.atomic
def demo_needs_build() -> dict[str, int]:
    memberships = list(
        ClusterMembership.objects.filter(in_force_on(TODAY), cluster__is_demo=True)
        .order_by("cluster", "school__code")
        .values_list("cluster", "school", "tier", "school__stage")
    )
    quality = {school: cluster for cluster, school, tier, _stage in memberships if tier == Tier.QUALITY}
    stage_of = {school: stage for _c, school, _t, stage in memberships}
    taught: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for school, subject in Teacher.objects.filter(employer__in=list(quality)).values_list(
        "employer", "subject"
    ):
        stages = PLANNED_STAGES.get(stage_of[school], [])
        if len(stages) == 1 and subject:
            taught[(quality[school], stages[0])][canonical_subject(subject)] += 1
    arriving: Counter[tuple[int, str, str]] = Counter()
    for host, subject, stage in Rotation.objects.filter(
        kind__in=INFLOW_KINDS, start_date__gte=TODAY, from_school__in=list(quality)
    ).values_list("host", "teacher__subject", "from_school__stage"):
        stages = PLANNED_STAGES.get(stage, [])
        if len(stages) == 1:
            arriving[(host, canonical_subject(subject), stages[0])] += 1
    needs: dict[tuple[int, str, str], int] = Counter()
    for number, (cluster, school, tier, stage) in enumerate(memberships):
        if tier != Tier.WEAKER:
            continue
        for planned in PLANNED_STAGES.get(stage, []):
            ranked = sorted(taught[(cluster, planned)].items(), key=lambda item: (-item[1], item[0]))
            for subject, _count in ranked[:SUBJECTS_ASKED]:
                needs[(school, subject, planned)] += 1 + number % 2
    for key, count in arriving.items():
        needs[key] += count
    rows = [
        RotationNeed(
            school_id=school, school_year=YEAR, subject=subject, stage=stage, need=need, is_demo=True
        )
        for (school, subject, stage), need in sorted(needs.items())
    ]
    bulk_create_with_history(rows, RotationNeed, batch_size=2000, default_change_reason=DEMO_MARK)
    return {"rotation needs": len(rows)}
