"""The metric SQL on Spark SQL, for results beyond one machine (docs/operations.md). The SQL is the same text
DuckDB runs (`metrics.py`); only how a step is kept and read differs."""

from __future__ import annotations

from typing import Any

from .inputs import SCORE_COLUMNS, SCORE_TYPES
from .metrics import Standard, metrics


class SparkEngine:
    def __init__(self, session: Any) -> None:
        self.session = session

    def materialize(self, name: str, sql: str) -> None:
        # Cached, since later steps read each table more than once.
        self.session.sql(sql).cache().createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(sql).collect()]


def evaluate_on_spark(
    session: Any, scores: str, schools: str, year: int, standard: Standard
) -> dict[str, Any]:
    """The metrics of `year` from Parquet scores (a file or a directory of the uploads' files, any URI Spark reads)
    and a schools CSV file with the analyst's columns (stage and tier as codes: primary/junior, quality/weaker)."""
    types = {c: SCORE_TYPES[c].replace("VARCHAR", "STRING") for c in SCORE_COLUMNS}  # Spark's name for text
    columns = [f"CAST({c} AS {types[c]}) AS {c}" for c in SCORE_COLUMNS]
    session.read.parquet(scores).selectExpr(*columns).createOrReplaceTempView("scores")
    session.read.csv(schools, header=True).createOrReplaceTempView("schools")
    session.sql(
        "SELECT cluster, school_code, district_code, tier FROM schools WHERE cluster IS NOT NULL AND cluster <> ''"
    ).createOrReplaceTempView("cluster_members")
    return metrics(SparkEngine(session), year, standard)
