"""Runs the metrics with DuckDB: over an analyst's files (no database needed) or over what the platform holds."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from junheng.policy.editions import EDITIONS

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


def shipped_standard(edition: str = "S2") -> Standard:
    """The model standard as the shipped edition states it, for work done without the platform's database."""
    values = {key: value for key, value, *_rest in EDITIONS[edition]["thresholds"]}
    return standard_from(values)


def standard_from(values: dict[str, Decimal | None]) -> Standard:
    default = Standard()
    cut = values.get("R-E3.pass_cut_score")
    line = values.get("R-E3.between_school_difference")
    return Standard(
        cut_score=float(cut) if cut is not None else default.cut_score,
        between_school_share_below=float(line) if line is not None else default.between_school_share_below,
    )


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
