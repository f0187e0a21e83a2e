"""How long the compliance engine takes over the whole city, and how many queries it makes.

Builds the demo city at `small` and `city` size on SQLite and on PostgreSQL (when reachable), then times
`evaluate(S1, as_of)` for every pairing and district and prints a table. The query count must be the same at both
sizes. Run: .venv/bin/python bench/compliance.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import harness
import psycopg
from harness import fresh_postgres

AS_OF = date(2022, 7, 15)
RUNS = 5


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
    from junheng.programmes.models import Pairing

    call_command("migrate", verbosity=0)
    call_command(
        "import_roster", str(files("junheng.programmes") / "data" / "roster-2021-notice.txt"), verbosity=0
    )
    call_command("demo", size=size, replace=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    edition = PolicyEdition.objects.get(code="S1")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            findings = evaluate(edition, AS_OF)
        timings.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "pairings": Pairing.objects.count(),
                "findings": len(findings),
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
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in ("small", "city"):
            rows.append(("SQLite", size, measure(f"sqlite:///{Path(folder) / (size + '.sqlite3')}", size)))
    try:
        for size in ("small", "city"):
            rows.append(
                ("PostgreSQL", size, measure(fresh_postgres(args.postgres, f"junheng_bench_{size}"), size))
            )
    except psycopg.Error as unreachable:
        print(f"PostgreSQL left out: {unreachable}")
    print(f"compliance check of edition S1 as of {AS_OF}, median of {RUNS} runs")
    print(f"{'database':<11} {'size':<6} {'pairings':>8} {'findings':>8} {'seconds':>8} {'queries':>7}")
    for database, size, r in rows:
        print(
            f"{database:<11} {size:<6} {r['pairings']:>8} {r['findings']:>8} {r['seconds']:>8.3f} {r['queries']:>7}"
        )


if __name__ == "__main__":
    main()
