"""The layout advisor over a district of 150 schools, end to end: `junheng plan layout` on one CSV file.

The district is synthetic and seeded (the same every run), shaped like one of Shanghai's larger districts: 150
schools spread over about 30 × 25 km around Pudong's centre (121.5447 E, 31.2215 N), in a dozen denser
neighbourhoods; a third weaker schools; primary, junior and nine-year schools (55/30/15%); 300–3,000
students a school (primary schools smaller). Clusters of 3 to 6 schools, lead included — Shanghai's districts
typically pair a lead with two to five schools — once with stages kept apart and once with `--mixed-stages`.

Each setting runs 3 times in its own process (process start, reading the file and writing the JSON included); the
table gives the median seconds, the status, objective and bound, and the number of clusters; it fails unless the
status is `optimal`. Run: .venv/bin/python bench/layout.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = "junheng-bench-layout"
RUNS = 3
SCHOOLS = 150
WEAKER_SHARE = 1 / 3
CENTRE = (121.5447, 31.2215)  # lon, lat
NEIGHBOURHOODS = 12
STAGES = [("primary", 0.55), ("junior", 0.30), ("nine_year", 0.15)]
STUDENTS = {"primary": (300, 1800), "junior": (400, 2400), "nine_year": (800, 3000)}
MIN_SIZE, MAX_SIZE = 3, 6
SETTINGS = [("stages kept apart", []), ("mixed stages", ["--mixed-stages"])]


def generate(path: Path) -> None:
    rng = random.Random(SEED)
    hubs = [
        (CENTRE[0] + rng.uniform(-0.16, 0.16), CENTRE[1] + rng.uniform(-0.11, 0.11))
        for _ in range(NEIGHBOURHOODS)
    ]
    weaker = set(rng.sample(range(SCHOOLS), round(SCHOOLS * WEAKER_SHARE)))
    rows = []
    for number in range(SCHOOLS):
        lon0, lat0 = rng.choice(hubs)
        stage = rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]
        tier = "weaker" if number in weaker else "quality"
        low, high = STUDENTS[stage]
        rows.append(
            [
                f"S{number:03d}",
                "310115",
                stage,
                tier,
                rng.randint(low, high),
                f"{lon0 + rng.gauss(0, 0.025):.6f}",
                f"{lat0 + rng.gauss(0, 0.02):.6f}",
            ]
        )
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["school_code", "district", "stage", "tier", "students", "lon", "lat"])
        writer.writerows(rows)


def run(path: Path, output: Path, extra: list[str]) -> tuple[float, dict]:
    command = [
        sys.executable,
        "-c",
        "from junheng.cli import main; main()",  # the `junheng` console command, of this checkout's src
        "plan",
        "layout",
        "--schools",
        str(path),
        "--min-size",
        str(MIN_SIZE),
        "--max-size",
        str(MAX_SIZE),
        *extra,
        "--format",
        "json",
        "-o",
        str(output),
    ]
    source = str(Path(__file__).resolve().parent.parent / "src")
    pythonpath = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath,
        "JUNHENG_SECRET_KEY": os.environ.get("JUNHENG_SECRET_KEY", "bench"),
    }
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    seconds = time.perf_counter() - started
    return seconds, json.loads(output.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the file and layouts here and keep them")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = options.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "schools.csv"
        generate(path)
        with path.open(encoding="utf-8") as stream:
            schools = list(csv.DictReader(stream))
        weaker = sum(s["tier"] == "weaker" for s in schools)
        print(
            f"{len(schools)} schools ({weaker} weaker), "
            f"{sum(int(s['students']) for s in schools):,} students, clusters of {MIN_SIZE}–{MAX_SIZE} schools"
        )
        rows = []
        for name, extra in SETTINGS:
            times, result = [], {}
            for number in range(RUNS):
                seconds, result = run(path, directory / f"layout-{len(rows)}-{number}.json", extra)
                times.append(seconds)
            rows.append((name, statistics.median(times), result))
        print()
        print("| setting | seconds | status | objective (student-km) | bound | clusters |")
        print("|---|---|---|---|---|---|")
        for name, seconds, result in rows:
            print(
                f"| {name} | {seconds:.2f} (solving {result['seconds']:.2f}) | {result['status']} | "
                f"{result['objective']:,.1f} | {result['bound']:,.1f} | {len(result['clusters'])} |"
            )
        if any(result["status"] != "optimal" for _, _, result in rows):
            sys.exit("not solved to optimality")


if __name__ == "__main__":
    main()
