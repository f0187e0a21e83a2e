"""The report's shape: sections of paragraphs, tables and charts, which rendering writes as Word, PDF or Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    """Horizontal bars, one per label; `reference` draws a line (a limit, the district's value)."""

    title: str
    labels: list[str]
    values: list[float]
    reference: float | None = None


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


def percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


def number(value: Any, places: int = 2) -> str:
    return "—" if value is None else f"{float(value):.{places}f}"
