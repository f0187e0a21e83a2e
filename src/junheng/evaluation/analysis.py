"""Runs the metrics with DuckDB: over an analyst's files (no database needed) or over what the platform holds."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from junheng.core.editions import ThresholdValue, shipped_thresholds_on

from .inputs import read_schools, register_schools, scores_select, scores_source
from .metrics import Standard, metrics


class DuckEngine:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def materialize(self, name: str, sql: str) -> None:
        self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


STANDARD_KEYS = ("R-E3.pass_cut_score", "R-E3.between_school_difference")


def standard_from(thresholds: dict[str, ThresholdValue]) -> Standard:
    cut, line = (thresholds[key].value for key in STANDARD_KEYS)
    assert cut is not None and line is not None
    return Standard(cut_score=float(cut), between_school_share_below=float(line))


def shipped_standard(year: int) -> Standard:
    """The model standard of the shipped edition in force in the monitoring year, for work done without the
    platform's database."""
    return standard_from(shipped_thresholds_on(monitoring_day(year), STANDARD_KEYS))


def monitoring_day(year: int) -> date:
    """A monitoring year's results are judged, and its clusters taken, as they stood at the end of its school
    year."""
    return date(year, 6, 30)


def evaluate_files(scores: Path, schools: Path, year: int, standard: Standard) -> dict[str, Any]:
    """The metrics of `year` from a scores file (CSV, Parquet or Excel) and a schools file (CSV or Excel)."""
    school_rows = read_schools(schools)
    with tempfile.TemporaryDirectory() as workdir, duckdb.connect() as connection:
        connection.execute("SET preserve_insertion_order = false")  # less memory; every output is ordered
        register_schools(connection, school_rows, Path(workdir))
        source = scores_source(scores, Path(workdir))
        connection.execute(
            f"CREATE OR REPLACE VIEW scores AS {scores_select(connection, source, scores.name)}"
        )
        return metrics(DuckEngine(connection), year, standard)
