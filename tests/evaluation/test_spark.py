"""The metric SQL on a local PySpark session gives DuckDB's numbers to 1e-9 (issue: beyond one machine)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from junheng.evaluation.inputs import register_schools
from junheng.evaluation.spark import evaluate_on_spark

from .test_metrics import STANDARD, close, run, school


@pytest.fixture(scope="module")
def spark() -> Any:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("junheng-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def city(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    schools = [
        school(
            f"S{i}",
            cluster=rng.choice(["", "甲", "乙", "丙"]),
            district=rng.choice(["310101", "310104"]),
            tier=rng.choice(["", "quality", "weaker"]),
            stage=rng.choice(["", "primary", "junior"]),
        )
        for i in range(12)
    ]
    scores = []
    for k in range(400):
        code, grade = rng.choice(schools)["school_code"], rng.choice([4, 7])
        for subject in ("语文", "数学"):
            for year in (2023, 2024):
                scores.append(
                    {
                        "year": year,
                        "student_id": f"p{k}",
                        "school_code": code,
                        "grade": grade - (year == 2023),
                        "subject": subject,
                        "score": float(rng.randint(20, 100)) + rng.choice([0, 0.5]),
                        "level": rng.choice([None, None, "优秀", "待合格", "C", "D"]),
                    }
                )
    return scores, schools


def on_spark(spark: Any, scores: list[dict[str, Any]], schools: list[dict[str, Any]], workdir: Path) -> Any:
    """Through files, as on a cluster: the scores as Parquet, the schools as CSV."""
    with duckdb.connect() as connection:
        register_schools(connection, schools, workdir)
        connection.execute(
            "CREATE TABLE scores (year INTEGER, student_id VARCHAR, school_code VARCHAR, grade INTEGER, "
            "subject VARCHAR, score DOUBLE, level VARCHAR)"
        )
        connection.executemany(
            "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?)", [list(row.values()) for row in scores]
        )
        connection.execute(f"COPY scores TO '{workdir / 'scores.parquet'}' (FORMAT parquet)")
        connection.execute(f"COPY schools TO '{workdir / 'schools.csv'}' (HEADER)")
    return evaluate_on_spark(
        spark, str(workdir / "scores.parquet"), str(workdir / "schools.csv"), 2024, STANDARD
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_spark_sql_gives_duckdbs_numbers(spark: Any, seed: int, tmp_path: Path) -> None:
    scores, schools = city(seed)
    ours = run(scores, schools, 2024, STANDARD)
    theirs = on_spark(spark, scores, schools, tmp_path)
    for part, key in (
        ("schools", ("school_code", "subject")),
        ("districts", ("district_code", "stage", "subject")),
        ("clusters", ("cluster", "stage", "subject")),
    ):
        mine = {tuple(r[k] for k in key): r for r in ours[part]}
        other = {tuple(r[k] for k in key): r for r in theirs[part]}
        assert mine.keys() == other.keys() and mine
        for k, row in mine.items():
            differ = [
                (name, value, other[k][name])
                for name, value in row.items()
                if not (
                    value == other[k][name] if isinstance(value, str | bool) else close(value, other[k][name])
                )
            ]
            assert not differ, (part, k, differ)
