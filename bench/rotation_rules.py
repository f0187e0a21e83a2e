"""How long the S2 check takes over the whole city with its teacher flow, and how many queries it makes.

Builds the demo city at `small` and `city` size on SQLite and on PostgreSQL (when reachable), with the demo's teacher
flow (demo/flow.py: three school years of rotations from the model clusters' quality schools into their weaker
schools, as exchanges and teams, some short of the quota, cut short or planned short; appraisals; weaker schools'
teachers back from development; staffing plans). Then it times `evaluate(S2, as_of)` on the demo's day — every rule
of the edition, the model standard's included — and prints a table. The query count must be the same at both sizes.
Run: .venv/bin/python bench/rotation_rules.py [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import harness
import psycopg
from harness import fresh_postgres

RUNS = 5


def worker(size: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    django.setup()
    from importlib.resources import files

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from junheng.demo.city import TODAY
    from junheng.policy.engine import evaluate
    from junheng.policy.models import PolicyEdition
    from junheng.staffing.models import Rotation, RotationAppraisal, StaffingPlan, Teacher

    call_command("migrate", verbosity=0)
    call_command(
        "import_roster", str(files("junheng.programmes") / "data" / "roster-2021-notice.txt"), verbosity=0
    )
    call_command("demo", size=size, replace=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    made = {
        "rotations": Rotation.objects.count(),
        "appraisals": RotationAppraisal.objects.count(),
        "plans": StaffingPlan.objects.count(),
    }
    edition = PolicyEdition.objects.get(code="S2")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            findings = evaluate(edition, TODAY)
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
    return harness.measure(__file__, database_url, size)


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
    print(
        f"compliance check of edition S2 as of the demo's day, 2025-09-01 (school year 2025-2026), median of {RUNS} runs"
    )
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
