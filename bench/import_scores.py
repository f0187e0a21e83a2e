"""How long a city's year of monitoring results takes to check and store (issue goal: a 7M-row CSV in under 60 s).

Writes one year of the `city` results of bench/evaluate.py (≈7M rows) as CSV, then runs the upload's check —
reading, every row check against the school list, duplicates, writing Parquet — in its own process, as the
background worker does, and prints wall time and peak memory. A second run has one bad row at the end, to show the
refusal costs the same and names the row. Run: .venv/bin/python bench/import_scores.py [--students-per-school 1080]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKER = r"""
import csv, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
import django
django.setup()
from pathlib import Path
from junheng.core.imports import ImportFailed
from junheng.evaluation.scores import check_and_store

source, schools, target = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with schools.open(encoding="utf-8") as handle:
    codes = {row["school_code"] for row in csv.DictReader(handle)}
try:
    accepted = check_and_store(source, source.name, 2024, codes, {}, target, lambda percent, step: None)
    print("accepted", accepted.rows)
except ImportFailed as refused:
    print("refused", refused.errors[0])
"""


def measure(command: list[str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students-per-school", type=int, default=1080)
    options = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="junheng-bench-import-"))
    bench = Path(__file__).parent
    subprocess.run(
        [
            sys.executable,
            str(bench / "evaluate.py"),
            "--generate-only",
            str(directory),
            str(options.students_per_school),
        ],
        check=True,
        capture_output=True,
    )
    good, bad = directory / "2024.csv", directory / "2024-bad.csv"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; d = sys.argv[1]; "
            "duckdb.sql(f\"COPY (SELECT * FROM read_parquet('{d}/scores.parquet') WHERE year = 2024) TO '{d}/2024.csv'\")",
            str(directory),
        ],
        check=True,
    )
    with good.open("rb") as source, bad.open("wb") as out:
        out.write(source.read())
        out.write(
            b"2024,S0001-0,S0001,2,\xe6\x95\xb0\xe5\xad\xa6,101,\n"
        )  # a duplicate and a score out of range
    rows = sum(1 for _ in good.open("rb")) - 1
    print(f"CSV: {rows:,} rows, {good.stat().st_size / 1e6:.0f} MB\n")
    print("| file | result | time (s) | peak memory (MB) |\n|---|---|---|---|")
    for path in (good, bad):
        seconds, memory, output = measure(
            [
                sys.executable,
                "-c",
                WORKER,
                str(path),
                str(directory / "schools.csv"),
                str(directory / "out.parquet"),
            ]
        )
        print(f"| {path.name} | {output[:90]} | {seconds:.1f} | {memory:.0f} |")


if __name__ == "__main__":
    main()
