"""How long the rotation planner takes in platform mode over the whole demo city: `junheng plan rotations --year
2025`, every model cluster planned from the records (its members, eligible teachers, the weaker schools' needs and
the rotations already arranged), and how many queries it makes.

Builds the demo city at `small` and `city` size on SQLite and on PostgreSQL (when reachable), then times the plan of
the demo's school year (2025-2026) end to end as the command makes it — reading the records and planning every
cluster, all to proven optimality — and prints a table, median of 3 runs.
Run: .venv/bin/python bench/planner_platform.py [--postgres URL] [--sizes small,city]
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

RUNS = 3
YEAR = 2025


def worker(size: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    django.setup()
    from importlib.resources import files

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from junheng.policy.planner.command import _numbers, options_from
    from junheng.policy.planning import plan_year

    call_command("migrate", verbosity=0)
    call_command(
        "import_roster", str(files("junheng.programmes") / "data" / "roster-2021-notice.txt"), verbosity=0
    )
    call_command("demo", size=size, replace=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    arguments = {"teams": True, "method": "optimal", "time_limit": 60.0}
    skipped: list[str] = []
    timings = []
    for _ in range(RUNS):
        skipped.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = plan_year(YEAR, None, lambda n: options_from(arguments, _numbers(n)), skipped.append)
        timings.append(time.perf_counter() - started)
    schools = [s for c in result.clusters for s in c.schools]
    print(
        json.dumps(
            {
                "clusters": len(result.clusters),
                "skipped": len(skipped),
                "eligible": sum(s.eligible for s in schools),
                "required": sum(s.required for s in schools),
                "sent": sum(s.sent for s in schools),
                "shortfall": sum(s.shortfall for s in schools),
                "assignments": sum(len(c.assignments) for c in result.clusters),
                "statuses": dict(Counter(c.status for c in result.clusters)),
                "seconds": statistics.median(timings),
                "queries": len(queries),
            }
        )
    )


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
            url = f"sqlite:///{Path(folder) / (size + '.sqlite3')}"
            rows.append(("SQLite", size, harness.measure(__file__, url, size)))
    try:
        for size in sizes:
            url = fresh_postgres(args.postgres, f"junheng_bench_planner_{size}")
            rows.append(("PostgreSQL", size, harness.measure(__file__, url, size)))
    except psycopg.Error as unreachable:
        print(f"PostgreSQL left out: {unreachable}")
    print(
        f"junheng plan rotations --year {YEAR}: every model cluster of the demo, from the records, median of {RUNS}"
    )
    print(
        f"{'database':<11} {'size':<6} {'clusters':>8} {'eligible':>8} {'required':>8} {'sent':>6} "
        f"{'short':>6} {'planned':>7} {'seconds':>8} {'queries':>7} statuses"
    )
    for database, size, r in rows:
        print(
            f"{database:<11} {size:<6} {r['clusters']:>8} {r['eligible']:>8} {r['required']:>8} {r['sent']:>6} "
            f"{r['shortfall']:>6} {r['assignments']:>7} {r['seconds']:>8.3f} {r['queries']:>7} {r['statuses']}"
        )


if __name__ == "__main__":
    main()
