"""The fair course allocation over a city-size semester, end to end: `junheng allocate courses` on two CSV files.

The instance is synthetic and seeded (the same every run): 250 clusters of 4–6 member schools, each offering
24–36 shared courses (after-school periods 7–9 of Monday to Friday, a third of the courses on two slots, a tenth
with no weekly slot; capacity 20–60), and 500,000 students, 2,000 per cluster, each ranking 5 courses of its
cluster, the popular ones more often (weights falling as 1/(k+3)), so that most courses are oversubscribed.

The command runs 3 times in its own process (process start, reading the files, the lottery, the allocation, the
check of its guarantees and writing the JSON included); the table gives the median seconds, the students, the
applications, the seats and the seats filled. A second table times the steps in this process (median of 3).
Run: .venv/bin/python bench/allocate.py [--keep DIR]
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

SEED = "junheng-bench-allocate"
LOTTERY_SEED = 20250901
RUNS = 3
CLUSTERS = 250
STUDENTS_PER_CLUSTER = 2_000
CHOICES = 5
SLOTS = [f"{day}{period}" for day in ("Mon", "Tue", "Wed", "Thu", "Fri") for period in (7, 8, 9)]
SOURCE = Path(__file__).resolve().parent.parent / "src"


def generate(directory: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    courses, applications = [], []
    seats = 0
    for number in range(CLUSTERS):
        cluster = f"C{number:03d}"
        schools = [f"{cluster}S{i}" for i in range(rng.randint(4, 6))]
        offered = []
        for k in range(rng.randint(24, 36)):
            school = schools[k % len(schools)]
            shape = rng.random()
            slots = [] if shape < 0.1 else rng.sample(SLOTS, 2 if shape < 0.43 else 1)
            capacity = rng.randint(20, 60)
            seats += capacity
            course_id = f"{school}K{k:02d}"
            courses.append([course_id, cluster, school, capacity, ";".join(slots)])
            offered.append(course_id)
        weights = [1 / (k + 3) for k in range(len(offered))]
        rng.shuffle(offered)
        for s in range(STUDENTS_PER_CLUSTER):
            school = rng.choice(schools)
            chosen: list[str] = []
            while len(chosen) < CHOICES:
                course = rng.choices(offered, weights=weights)[0]
                if course not in chosen:
                    chosen.append(course)
            student = f"{school}P{s:04d}"
            applications += [[student, school, course, rank] for rank, course in enumerate(chosen, start=1)]
    rng.shuffle(applications)
    for name, header, rows in (
        ("courses.csv", ["course_id", "cluster", "school_code", "capacity", "slots"], courses),
        ("applications.csv", ["student_id", "school_code", "course_id", "rank"], applications),
    ):
        with (directory / name).open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)
    return {
        "clusters": CLUSTERS,
        "courses": len(courses),
        "seats": seats,
        "students": CLUSTERS * STUDENTS_PER_CLUSTER,
        "applications": len(applications),
    }


def run(directory: Path) -> tuple[float, dict]:
    output = directory / "allocation.json"
    command = [
        sys.executable,
        "-c",
        "from junheng.cli import main; main()",  # the `junheng` console command, of this checkout's src
        "allocate",
        "courses",
        "--courses",
        str(directory / "courses.csv"),
        "--applications",
        str(directory / "applications.csv"),
        "--seed",
        str(LOTTERY_SEED),
        "--format",
        "json",
        "-o",
        str(output),
    ]
    pythonpath = os.pathsep.join(p for p in (str(SOURCE), os.environ.get("PYTHONPATH", "")) if p)
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath,
        "JUNHENG_SECRET_KEY": os.environ.get("JUNHENG_SECRET_KEY", "bench"),
    }
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    seconds = time.perf_counter() - started
    return seconds, json.loads(output.read_text(encoding="utf-8"))


def steps(directory: Path) -> dict[str, float]:
    """The command's steps, each timed once in a process of its own as the command runs them (the collector off):
    where the seconds go. The median of 3 processes."""
    runs = []
    for _ in range(RUNS):
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(directory)], check=True, capture_output=True, text=True
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def worker(directory: Path) -> None:
    import gc

    sys.path.insert(0, str(SOURCE))
    gc.disable()  # as the command does
    from junheng.sharing.allocation import allocate_choices, check
    from junheng.sharing.allocation.files import read_choices

    started = time.perf_counter()
    courses, choices = read_choices(directory / "courses.csv", directory / "applications.csv")
    read = time.perf_counter()
    result = allocate_choices(courses, choices, LOTTERY_SEED)
    allocated = time.perf_counter()
    assert check(result) == []
    checked = time.perf_counter()
    json.dumps(result.as_dict(), ensure_ascii=False)
    written = time.perf_counter()
    timings = (read - started, allocated - read, checked - allocated, written - checked)
    print(json.dumps(dict(zip(("read", "lottery and allocation", "check", "JSON"), timings, strict=True))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the files and the allocation here and keep them")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker)
        return
    with tempfile.TemporaryDirectory() as temporary:
        directory = options.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        sizes = generate(directory)
        print(
            f"{sizes['clusters']} clusters, {sizes['courses']:,} courses with {sizes['seats']:,} seats, "
            f"{sizes['students']:,} students, {sizes['applications']:,} applications"
        )
        times, result = [], {}
        for _ in range(RUNS):
            seconds, result = run(directory)
            times.append(seconds)
        filled = sum(c["enrolled"] for c in result["courses"])
        placed = sum(bool(s["courses"]) for s in result["students"])
        print()
        print("| students | applications | seats | seats filled | students with a seat | seconds |")
        print("|---|---|---|---|---|---|")
        print(
            f"| {len(result['students']):,} | {sizes['applications']:,} | {sizes['seats']:,} | "
            f"{filled:,} ({filled / sizes['seats']:.1%}) | {placed:,} | {statistics.median(times):.2f} |"
        )
        print()
        print("| step (process start aside) | seconds |")
        print("|---|---|")
        for step, seconds in steps(directory).items():
            print(f"| {step} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
