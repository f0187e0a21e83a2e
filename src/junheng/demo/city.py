"""A deterministic synthetic city (演示数据) for trying the platform and for benchmarks.

Every district gets schools of the three compulsory-education stages, clusters of a few quality and more weaker
schools, yearly counts and teachers. Everything made here is flagged `is_demo`, shown as 演示数据, and built from
a fixed seed, so the same size always gives the same city.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.organisations.choices import ClusterKind, ModelStatus, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School, SchoolYearCount
from junheng.staffing.choices import BackboneTier, Cadre
from junheng.staffing.models import Employment, Teacher


@dataclass(frozen=True)
class Size:
    schools_per_district: int
    teachers_per_school: int


SIZES = {
    "small": Size(schools_per_district=10, teachers_per_school=24),
    "city": Size(
        schools_per_district=81, teachers_per_school=77
    ),  # ≈1,300 schools, ≈250 clusters, ≈100k teachers
}

# Approximate centres of the districts, for plausible coordinates on a map.
CENTRES = {
    "310101": (31.2317, 121.4846),
    "310104": (31.1886, 121.4365),
    "310105": (31.2204, 121.4242),
    "310106": (31.2490, 121.4480),
    "310107": (31.2494, 121.3958),
    "310109": (31.2646, 121.5050),
    "310110": (31.2596, 121.5260),
    "310112": (31.1126, 121.3817),
    "310113": (31.4046, 121.4893),
    "310114": (31.3747, 121.2655),
    "310115": (31.2215, 121.5447),
    "310116": (30.7420, 121.3416),
    "310117": (31.0322, 121.2277),
    "310118": (31.1497, 121.1240),
    "310120": (30.9180, 121.4740),
    "310151": (31.6228, 121.3973),
}
STAGES = [
    (Stage.PRIMARY, "小学", "211", 0.55),
    (Stage.JUNIOR, "初级中学", "311", 0.30),
    (Stage.NINE_YEAR, "学校", "312", 0.15),
]
SUBJECTS = [
    ("语文", 5),
    ("数学", 5),
    ("英语", 4),
    ("道德与法治", 1),
    ("历史", 1),
    ("地理", 1),
    ("物理", 1),
    ("化学", 1),
    ("生命科学", 1),
    ("体育与健身", 2),
    ("音乐", 1),
    ("美术", 1),
    ("信息科技", 1),
]
BACKBONE = [
    (BackboneTier.SPECIAL_GRADE, 0.005),
    (BackboneTier.SENIOR_PROFESSOR, 0.01),
    (BackboneTier.MUNICIPAL_LEADER, 0.025),
    (BackboneTier.DISTRICT_LEADER, 0.10),
    (BackboneTier.SCHOOL_BACKBONE, 0.15),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁琳晨辰欣怡婷雪颖倩佳嘉悦睿思源泽轩"
DEMO_MARK = "演示数据"
MEMBERSHIP_START = date(2023, 9, 1)
COUNT_YEARS = (2023, 2024)
TODAY = date(2025, 9, 1)  # the demo city is described as of this day, so it never changes with the clock
# The lead school of one model cluster in twelve (creating or accredited, in the order they are built) has not yet
# recorded its teachers: its teacher flow has no data to judge.
UNRECORDED_EVERY, UNRECORDED_FROM = 12, 4


# How a demo cluster fares, in turn by district and name, so that each shows at every size: its weaker schools
# catch up, stay behind as they were, lag far behind (the schools differ too much), or only its lead school
# reported the later year (the model standard cannot be judged).
CATCHING_UP, STEADY, UNBALANCED, PARTLY_REPORTED = "catching_up", "steady", "unbalanced", "partly_reported"
PROFILES = (CATCHING_UP, STEADY, UNBALANCED, CATCHING_UP, PARTLY_REPORTED)


def demo_cluster_profiles() -> dict[int, str]:
    """Demo cluster id → how it fares (PROFILES)."""
    clusters = (
        Cluster.objects.filter(is_demo=True).order_by("district__code", "name").values_list("pk", flat=True)
    )
    return {pk: PROFILES[number % len(PROFILES)] for number, pk in enumerate(clusters)}


def demo_present() -> bool:
    return School.objects.filter(is_demo=True).exists()


@transaction.atomic
def demo_remove() -> None:
    from .programme import demo_work_remove

    demo_work_remove()
    Teacher.objects.filter(is_demo=True).delete()
    clusters = Cluster.objects.filter(is_demo=True)
    ClusterMembership.objects.filter(cluster__in=clusters).delete()
    clusters.delete()
    SchoolYearCount.objects.filter(school__is_demo=True).delete()
    School.objects.filter(is_demo=True).delete()


def _weighted(rng: random.Random, options: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(options, weights=[o[-1] for o in options])[0]


@transaction.atomic
def demo_build(size: str) -> dict[str, int]:
    """Builds the city of the given size; returns what it made."""
    spec = SIZES[size]
    rng = random.Random(f"junheng-demo-{size}")
    schools: list[School] = []
    for district in District.objects.order_by("code"):
        lat, lon = CENTRES[district.code]
        for number in range(1, spec.schools_per_district + 1):
            stage, suffix, type_code, _share = _weighted(rng, STAGES)
            schools.append(
                School(
                    name=f"{district.short_name}演示第{number}{suffix}",
                    code=f"D{district.code}{number:03d}",
                    district=district,
                    stage=stage,
                    school_type_code=type_code,
                    latitude=Decimal(f"{lat + rng.uniform(-0.06, 0.06):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.06, 0.06):.6f}"),
                    is_new=rng.random() < 0.05,
                    is_demo=True,
                )
            )
    schools = bulk_create_with_history(schools, School, batch_size=2000, default_change_reason=DEMO_MARK)
    schools = list(
        School.objects.filter(is_demo=True).select_related("district").order_by("district__code", "code")
    )

    counts = []
    for school in schools:
        students = max(200, int(rng.gauss(1077, 300)))
        for year in COUNT_YEARS:
            n = int(students * (1 + rng.uniform(-0.04, 0.06)))
            counts.append(
                SchoolYearCount(
                    school=school,
                    school_year=year,
                    primary_students=n
                    if school.stage == Stage.PRIMARY
                    else (n * 5 // 9 if school.stage == Stage.NINE_YEAR else 0),
                    junior_students=n
                    if school.stage == Stage.JUNIOR
                    else (n * 4 // 9 if school.stage == Stage.NINE_YEAR else 0),
                    teachers=max(15, n // 13),
                )
            )
    bulk_create_with_history(counts, SchoolYearCount, batch_size=5000, default_change_reason=DEMO_MARK)

    clusters, memberships = _clusters(rng, schools)
    model = [c for c in clusters if c.model_status in (ModelStatus.CREATING, ModelStatus.ACCREDITED)]
    unrecorded = {c.lead_school_id for c in model[UNRECORDED_FROM::UNRECORDED_EVERY]}
    teachers = _teachers(rng, schools, spec.teachers_per_school, unrecorded)
    from .clusters import demo_cluster_life

    life = demo_cluster_life()
    return {
        **life,
        "schools": len(schools),
        "clusters": len(clusters),
        "memberships": len(memberships),
        "teachers": len(teachers),
    }


def _clusters(rng: random.Random, schools: list[School]) -> tuple[list[Cluster], list[ClusterMembership]]:
    """Nearly every school belongs to a cluster of 4–6, one or two of them quality schools; a few stay outside."""
    by_district: dict[int, list[School]] = {}
    for school in schools:
        by_district.setdefault(school.district_id, []).append(school)  # type: ignore[arg-type]  # every demo school has a district
    clusters, plans = [], []
    for district_schools in by_district.values():
        pool = district_schools[:]
        rng.shuffle(pool)
        pool = pool[: max(4, round(len(pool) * 0.95))]
        number = 0
        while len(pool) >= 4:
            number += 1
            take = min(len(pool), rng.randint(4, 6))
            members, pool = pool[:take], pool[take:]
            quality = 1 if take < 6 else 2
            kind = ClusterKind.GROUP if number % 2 else ClusterKind.ZONE
            status = _weighted(
                rng, [(ModelStatus.CREATING, 0.2), (ModelStatus.ACCREDITED, 0.1), (ModelStatus.NONE, 0.7)]
            )[0]
            district = members[0].district
            assert district is not None
            clusters.append(
                Cluster(
                    name=f"{district.short_name}演示{'教育集团' if kind == ClusterKind.GROUP else '学区'}{number}",
                    kind=kind,
                    district=district,
                    lead_school=members[0],
                    close_knit=rng.random() < 0.6,
                    model_status=status,
                    established_on=MEMBERSHIP_START,
                    is_demo=True,
                )
            )
            plans.append(
                [(school, Tier.QUALITY if i < quality else Tier.WEAKER) for i, school in enumerate(members)]
            )
    clusters = bulk_create_with_history(clusters, Cluster, batch_size=1000, default_change_reason=DEMO_MARK)
    saved = {c.name: c for c in Cluster.objects.filter(is_demo=True)}
    memberships = [
        ClusterMembership(cluster=saved[cluster.name], school=school, tier=tier, start_date=MEMBERSHIP_START)
        for cluster, plan in zip(clusters, plans, strict=True)
        for school, tier in plan
    ]
    bulk_create_with_history(memberships, ClusterMembership, batch_size=5000, default_change_reason=DEMO_MARK)
    return clusters, memberships


def _teachers(
    rng: random.Random, schools: list[School], per_school: int, unrecorded: set[int | None]
) -> list[Teacher]:
    """Each school's teachers, except those of the schools that have not recorded theirs (drawn all the same, so
    that the other schools' teachers stay as they are)."""
    teachers = []
    for school in schools:
        for number in range(1, max(8, int(rng.gauss(per_school, per_school * 0.15))) + 1):
            tier = next((t for t, share in BACKBONE if rng.random() < share), BackboneTier.NONE)
            teacher = Teacher(
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                staff_number=f"T{school.code}{number:03d}",
                employer=school,
                subject=_weighted(rng, SUBJECTS)[0],
                backbone_tier=tier,
                cadre=Cadre.MIDDLE if rng.random() < 0.08 else Cadre.NONE,
                employed_since=TODAY - timedelta(days=int(rng.triangular(0, 25 * 365, 6 * 365))),
                is_demo=True,
            )
            if school.pk not in unrecorded:
                teachers.append(teacher)
    created: list[Teacher] = bulk_create_with_history(
        teachers, Teacher, batch_size=5000, default_change_reason=DEMO_MARK
    )
    employments = [Employment(teacher=t, school=t.employer, start_date=t.employed_since) for t in created]
    bulk_create_with_history(employments, Employment, batch_size=5000, default_change_reason=DEMO_MARK)
    return created
