"""The rotation planner over a city-size instance, end to end: `junheng plan rotations` on three CSV files, the
optimal plan against the greedy baseline.

The instance is synthetic and seeded (the same every run), shaped like the demo city (src/junheng/demo/city.py):
its 16 districts' centres, ≈250 clusters of one or two quality schools and three or four weaker ones, primary,
junior and nine-year schools in the demo's proportions, the demo's subjects by their weights and a quarter of the
teachers backbone teachers. Quality schools hold ≈23k rotation-eligible teachers (and ineligible ones, which the
command skips); each weaker school states a need of 0–3 teachers per subject of each of its stages.

Each method runs 3 times in its own process (process start, reading the files and writing the JSON included); the
table gives the median seconds, the objective, the need covered, the shortfall and the km of the plan, and the
check that every cluster of the optimal plan is `optimal`. Run: .venv/bin/python bench/planner.py [--keep DIR]
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

SEED = "junheng-bench-planner"
RUNS = 3
CLUSTERS = 250
ELIGIBLE_PER_QUALITY_SCHOOL = 77
CENTRES = [
    (31.2317, 121.4846), (31.1886, 121.4365), (31.2204, 121.4242), (31.2490, 121.4480),
    (31.2494, 121.3958), (31.2646, 121.5050), (31.2596, 121.5260), (31.1126, 121.3817),
    (31.4046, 121.4893), (31.3747, 121.2655), (31.2215, 121.5447), (30.7420, 121.3416),
    (31.0322, 121.2277), (31.1497, 121.1240), (30.9180, 121.4740), (31.6228, 121.3973),
]  # fmt: skip
STAGES = [("primary", 0.55), ("junior", 0.30), ("primary+junior", 0.15)]
SUBJECTS = [
    ("语文", 5), ("数学", 5), ("英语", 4), ("道德与法治", 1), ("历史", 1), ("地理", 1), ("物理", 1),
    ("化学", 1), ("生命科学", 1), ("体育与健身", 2), ("音乐", 1), ("美术", 1), ("信息科技", 1),
]  # fmt: skip
JUNIOR_ONLY = {"物理", "化学", "历史", "地理", "生命科学"}


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate(directory: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    schools, teachers, needs = [], [], []
    eligible = 0
    for number in range(CLUSTERS):
        lat0, lon0 = CENTRES[number % len(CENTRES)]
        lat0, lon0 = lat0 + rng.uniform(-0.05, 0.05), lon0 + rng.uniform(-0.05, 0.05)
        cluster = f"C{number:03d}"
        n_quality = 1 if rng.random() < 0.8 else 2
        n_weaker = rng.randint(3, 4)
        for i in range(n_quality + n_weaker):
            tier = "quality" if i < n_quality else "weaker"
            code = f"{cluster}{'Q' if tier == 'quality' else 'W'}{i}"
            stages = pick(rng, STAGES)
            lat, lon = lat0 + rng.uniform(-0.03, 0.03), lon0 + rng.uniform(-0.03, 0.03)
            schools.append([code, cluster, tier, stages, f"{lon:.6f}", f"{lat:.6f}"])
            levels = stages.split("+")
            if tier == "quality":
                count = max(10, int(rng.gauss(ELIGIBLE_PER_QUALITY_SCHOOL / n_quality * 1.2, 10)))
                for t in range(count + count // 3):
                    stage = rng.choice(levels)
                    subject = pick(rng, SUBJECTS)
                    if stage == "primary" and subject in JUNIOR_ONLY:
                        subject = "科学"
                    is_eligible = t < count
                    eligible += is_eligible
                    backbone = rng.random() < 0.25
                    teachers.append(
                        [f"{code}T{t:03d}", code, subject, stage, int(backbone), int(is_eligible)]
                    )
            else:
                for stage in levels:
                    for subject, weight in SUBJECTS:
                        if stage == "primary" and subject in JUNIOR_ONLY:
                            continue
                        if rng.random() < 0.35 + 0.05 * weight:
                            needs.append([code, subject, stage, rng.randint(1, 3)])
    rng.shuffle(teachers)
    for name, header, rows in (
        ("schools.csv", ["school_code", "cluster", "tier", "stages", "lon", "lat"], schools),
        (
            "teachers.csv",
            ["staff_number", "school_code", "subject", "stage", "backbone", "eligible"],
            teachers,
        ),
        ("needs.csv", ["school_code", "subject", "stage", "need"], needs),
    ):
        with (directory / name).open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)
    return {
        "clusters": CLUSTERS,
        "schools": len(schools),
        "teachers": len(teachers),
        "eligible": eligible,
        "need": sum(n[3] for n in needs),
    }


def run(directory: Path, method: str) -> tuple[float, dict]:
    output = directory / f"{method}.json"
    command = [
        sys.executable,
        "-c",
        "from junheng.cli import main; main()",  # the `junheng` console command, of this checkout's src
        "plan",
        "rotations",
        "--teachers",
        str(directory / "teachers.csv"),
        "--schools",
        str(directory / "schools.csv"),
        "--needs",
        str(directory / "needs.csv"),
        "--method",
        method,
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


def summary(result: dict) -> dict[str, float]:
    clusters = result["clusters"]
    assignments = [a for c in clusters for a in c["assignments"]]
    return {
        "objective": result["objective"],
        "covered": len(assignments),
        "shortfall": sum(s["shortfall"] for c in clusters for s in c["schools"]),
        "required": sum(s["required"] for c in clusters for s in c["schools"]),
        "km": sum(a["km"] for a in assignments),
        "optimal": sum(c["status"] == "optimal" for c in clusters),
        "clusters": len(clusters),
        "planning": result["seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the files and plans here and keep them")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = options.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        sizes = generate(directory)
        print(
            f"{sizes['clusters']} clusters, {sizes['schools']:,} schools, {sizes['teachers']:,} teachers of quality "
            f"schools ({sizes['eligible']:,} eligible), need {sizes['need']:,} teachers"
        )
        rows = []
        for method in ("optimal", "greedy"):
            times, result = [], {}
            for _ in range(RUNS):
                seconds, result = run(directory, method)
                times.append(seconds)
            rows.append((method, statistics.median(times), summary(result)))
        print()
        print(
            "| method | objective | need covered | shortfall (of required) | km | clusters optimal | seconds |"
        )
        print("|---|---|---|---|---|---|---|")
        for method, seconds, s in rows:
            optimal = f"{s['optimal']}/{s['clusters']}" if method == "optimal" else "—"
            print(
                f"| {method} | {s['objective']:,.3f} | {s['covered']:,} of {sizes['need']:,} "
                f"({s['covered'] / sizes['need']:.1%}) | {s['shortfall']:,} (of {s['required']:,}) | "
                f"{s['km']:,.1f} | {optimal} | {seconds:.2f} (planning {s['planning']:.2f}) |"
            )
        optimal_row = rows[0][2]
        if optimal_row["optimal"] != optimal_row["clusters"]:
            sys.exit("not every cluster was solved to optimality")


if __name__ == "__main__":
    main()
