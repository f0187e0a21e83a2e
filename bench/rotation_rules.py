"""How long the S2 check takes over the whole city with a school year of teacher flow, and how many queries it makes.

Builds the demo city at `small` and `city` size on SQLite and on PostgreSQL (when reachable). The demo has no
rotations yet, so the bench adds a synthetic flow around school year 2024-2025 (seeded, the same every run): each
quality school of a model cluster sends about a fifth of its rotation-eligible teachers into the cluster's weaker
schools (some fewer, some as teams, some planned short or cut short), the year before's rotations with their
appraisals, weaker schools' teachers back from development, and most clusters' staffing plans. Then it times
`evaluate(S2, as_of)` — every rule of the edition, the model standard's included — and prints a table. The query
count must be the same at both sizes. Run: .venv/bin/python bench/rotation_rules.py [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg

AS_OF = date(2025, 3, 1)
RUNS = 5
SEED = "junheng-bench-rotations"


def add_flow(as_of: date) -> dict[str, int]:
    """The synthetic school years of flow: the running one (2024) and the one before (2023)."""
    from junheng.organisations.choices import Tier
    from junheng.organisations.models import ClusterMembership, in_force_on
    from junheng.staffing.models import Rotation, RotationAppraisal, StaffingPlan, Teacher
    from junheng.staffing.selectors import MODEL_STATUSES, eligible_since

    rng = random.Random(SEED)
    members: dict[int, dict[str, list[int]]] = {}
    for cluster, school, tier in (
        ClusterMembership.objects.filter(in_force_on(as_of), cluster__model_status__in=MODEL_STATUSES)
        .order_by("cluster", "school")
        .values_list("cluster", "school", "tier")
    ):
        members.setdefault(cluster, {Tier.QUALITY: [], Tier.WEAKER: []})[tier].append(school)
    staff: dict[int, list[tuple[int, date, str]]] = {}
    for pk, school, since, subject in Teacher.objects.order_by("pk").values_list(
        "pk", "employer", "employed_since", "subject"
    ):
        staff.setdefault(school, []).append((pk, since, subject))
    rotations: list[Rotation] = []
    good: list[Rotation] = []  # rotations rated good
    for cluster, tiers in members.items():
        weaker = tiers[Tier.WEAKER]
        if not weaker or not tiers[Tier.QUALITY]:
            continue
        for quality in tiers[Tier.QUALITY]:
            for year in (2023, 2024):
                start = date(year, 9, 1)
                eligible = [t for t in staff.get(quality, []) if t[1] <= eligible_since(year, 6)]
                rng.shuffle(eligible)
                count = round(len(eligible) * rng.choice([0.1, 0.2, 0.22, 0.25]))
                chosen = eligible[:count]
                staff[quality] = [
                    t for t in staff.get(quality, []) if t not in chosen
                ]  # one rotation at a time
                team = f"组团{cluster}-{year}" if rng.random() < 0.4 else ""
                for number, (teacher, _since, subject) in enumerate(chosen):
                    years = 3 if rng.random() < 0.9 else 2
                    cut = rng.random() < 0.05
                    rotation = Rotation(
                        teacher_id=teacher,
                        kind="team_inflow" if team and number < 3 else "exchange",
                        from_school_id=quality,
                        host_id=weaker[number % len(weaker)],
                        start_date=start,
                        planned_end=date(year + years, 8, 31),
                        actual_end=date(year + 1, 1, 31) if cut else None,
                        end_reason="工作需要" if cut else "",
                        team=team if number < 3 else "",
                        subjects=subject,
                        status="ended" if cut else "in_progress",
                    )
                    rotations.append(rotation)
                    if year == 2023 and rng.random() < 0.9:
                        good.append(rotation)
        for school in weaker:  # a weaker school's promising teachers go out for a semester
            for teacher, _since, _subject in staff.get(school, [])[: rng.randint(0, 2)]:
                rotation = Rotation(
                    teacher_id=teacher,
                    kind=rng.choice(["secondment", "shadowing", "mentoring"]),
                    from_school_id=school,
                    host_id=tiers[Tier.QUALITY][0],
                    start_date=date(2024, 9, 1),
                    planned_end=date(2025, 1, 20),
                    status="ended",
                    return_duty="research_guidance" if rng.random() < 0.5 else "",
                    return_duty_from=date(2025, 2, 17),
                )
                rotations.append(rotation)
                good.append(rotation)
    Rotation.objects.bulk_create(rotations, batch_size=2000)
    appraisals = [
        RotationAppraisal(
            rotation=r,
            school_year=2023 if r.start_date.year == 2023 else 2024,
            rating=rng.choice(["excellent", "good", "good", "pass"]),
            appraised_on=date(2024, 7, 1) if r.start_date.year == 2023 else date(2025, 1, 15),
        )
        for r in good
    ]
    RotationAppraisal.objects.bulk_create(appraisals, batch_size=2000)
    plans = [
        StaffingPlan(
            cluster_id=cluster,
            school_year=2024,
            covers_recruitment=True,
            covers_flow=True,
            covers_titles=True,
            covers_performance_pay=rng.random() < 0.8,
            filed_on=date(2024, 10, 1) + timedelta(days=rng.randint(0, 60)),
        )
        for cluster in members
        if rng.random() < 0.7
    ]
    StaffingPlan.objects.bulk_create(plans)
    return {"rotations": len(rotations), "appraisals": len(appraisals), "plans": len(plans)}


def worker(size: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    django.setup()
    from importlib.resources import files

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from junheng.policy.engine import evaluate
    from junheng.policy.models import PolicyEdition
    from junheng.staffing.models import Teacher

    call_command("migrate", verbosity=0)
    call_command(
        "import_roster", str(files("junheng.programmes") / "data" / "roster-2021-notice.txt"), verbosity=0
    )
    call_command("demo", size=size, replace=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    made = add_flow(AS_OF)
    edition = PolicyEdition.objects.get(code="S2")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            findings = evaluate(edition, AS_OF)
        timings.append(time.perf_counter() - started)
    flow = [f for f in findings if f.rule.startswith("R-C")]
    print(
        json.dumps(
            {
                "teachers": Teacher.objects.count(),
                **made,
                "findings": len(findings),
                "flow_findings": len(flow),
                "statuses": dict(Counter(f.status for f in flow)),
                "seconds": statistics.median(timings),
                "queries": len(queries),
            }
        )
    )


def measure(database_url: str, size: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "JUNHENG_SECRET_KEY": "bench"}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", size], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str, name: str) -> str:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sizes", default="small,city")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    sizes = args.sizes.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            rows.append(("SQLite", size, measure(f"sqlite:///{Path(folder) / (size + '.sqlite3')}", size)))
    try:
        for size in sizes:
            url = fresh_postgres(args.postgres, f"junheng_bench_rotations_{size}")
            rows.append(("PostgreSQL", size, measure(url, size)))
    except psycopg.Error as unreachable:
        print(f"PostgreSQL left out: {unreachable}")
    print(f"compliance check of edition S2 as of {AS_OF} (school year 2024-2025), median of {RUNS} runs")
    print(
        f"{'database':<11} {'size':<6} {'teachers':>8} {'rotations':>9} {'findings':>8} {'of flow':>7} "
        f"{'seconds':>8} {'queries':>7}"
    )
    for database, size, r in rows:
        print(
            f"{database:<11} {size:<6} {r['teachers']:>8} {r['rotations']:>9} {r['findings']:>8} "
            f"{r['flow_findings']:>7} {r['seconds']:>8.3f} {r['queries']:>7}"
        )
    for database, size, r in rows:
        print(f"{database} {size}: flow statuses {r['statuses']}")


if __name__ == "__main__":
    main()
