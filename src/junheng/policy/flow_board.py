"""A cluster's rotation board (S2 二(二)): for each quality school of the cluster in a school year, its
rotation-eligible teachers, the number to send (⌈share × eligible⌉, R-C2.a), those sent into the weaker schools,
the backbone teachers among them (R-C2.b) and the school leaders and middle managers among them (R-C3), with the
two rules' statuses as the rules judge them on the day; and the year's inflow month by month, cumulative, against
the number to send.

The numbers are the rules' own: the board runs R-C2.a and R-C2.b on `staffing.selectors.cluster_flow` with the
thresholds in force on the day, and counts the teachers sent with the rules' `sent_by`. A fixed number of
queries, whatever the number of teachers or rotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from junheng.core.editions import ThresholdValue, thresholds_on
from junheng.core.periods import SchoolYear
from junheng.organisations.choices import Tier
from junheng.organisations.models import Cluster, School
from junheng.staffing.choices import Cadre
from junheng.staffing.selectors import MODEL_STATUSES, cluster_flow

from .models import FindingStatus
from .rules import CATALOG, Context, FindingData
from .rules.periods import add_months
from .rules.s2_flow import sent_by, share_of

QUOTA, BACKBONE = "R-C2.a", "R-C2.b"
YEARS_SHOWN = 5  # the school years offered: this one and the four before


@dataclass
class BoardRow:
    school: School
    eligible: int
    required: int
    sent: int
    backbone: int
    backbone_required: int
    school_leaders: int
    middle_managers: int
    quota: FindingData | None
    backbone_finding: FindingData | None

    @property
    def backbone_share(self) -> float | None:
        return self.backbone / self.sent if self.sent else None

    @property
    def statuses(self) -> list[dict[str, str] | None]:
        """R-C2.a's and R-C2.b's status: code, label and the finding's sentence."""
        return [status_of(self.quota), status_of(self.backbone_finding)]


def status_of(finding: FindingData | None) -> dict[str, str] | None:
    if finding is None:
        return None
    label = str(FindingStatus(finding.status).label)
    return {"code": finding.status, "label": label, "message": finding.message}


@dataclass
class Board:
    cluster: Cluster
    school_year: SchoolYear
    as_of: date
    thresholds: dict[str, ThresholdValue]
    binds: bool  # a model cluster (creating or accredited): S2 二(二) binds it
    rows: list[BoardRow] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # "2024-09" … "2025-08"
    sent_by_month: list[int | None] = field(default_factory=list)  # cumulative; None after the as-of month
    backbone_by_month: list[int | None] = field(default_factory=list)

    @property
    def share(self) -> Any:
        found = self.thresholds.get("R-C2.rotation_share")
        return None if found is None else found.value

    @property
    def backbone_share(self) -> Any:
        found = self.thresholds.get("R-C2.backbone_share")
        return None if found is None else found.value

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def totals(self) -> dict[str, Any]:
        names = ("eligible", "required", "sent", "backbone", "school_leaders", "middle_managers")
        found: dict[str, Any] = {name: self.total(name) for name in names}
        found["backbone_share"] = found["backbone"] / found["sent"] if found["sent"] else None
        return found


def school_years(today: date) -> list[int]:
    """The school years the board offers, the current one first."""
    current = SchoolYear.containing(today).start_year
    return [current - n for n in range(YEARS_SHOWN)]


def board_day(school_year: int, today: date) -> date:
    """A past year is judged on its last day; the current one today."""
    return min(today, SchoolYear(school_year).end)


def rotation_board(cluster: Cluster, school_year: int, today: date) -> Board:
    as_of = board_day(school_year, today)
    keys = sorted({key for code in (QUOTA, BACKBONE) for key in CATALOG[code].keys})
    thresholds = thresholds_on(as_of, keys)
    year = SchoolYear(school_year)
    board = Board(cluster, year, as_of, thresholds, cluster.model_status in MODEL_STATUSES)
    board.months = [add_months(year.start, n).strftime("%Y-%m") for n in range(12)]
    if not board.binds:
        board.sent_by_month = board.backbone_by_month = [None] * len(board.months)
        return board
    flow = cluster_flow(as_of, cluster.district)
    context = Context(
        as_of=as_of,
        thresholds=thresholds,
        rounds=[],
        pairings=[],
        events=[],
        districts=[cluster.district],
        cluster_flow=flow,
    )
    quality = [
        s for s in flow.members(Tier.QUALITY) if cluster.pk in flow.clusters_of(s.pk, Tier.QUALITY, as_of)
    ]
    findings: dict[tuple[str, int], FindingData] = {}
    for code in (QUOTA, BACKBONE):
        if CATALOG[code].applies(thresholds):
            ids = {s.pk for s in quality}
            for found in CATALOG[code].evaluate(context):
                if found.subject_id in ids:
                    findings[(code, found.subject_id)] = found
    first_start: dict[int, tuple[date, bool]] = {}  # teacher → (first start in the year, backbone)
    for school in quality:
        rotations = sent_by(flow, school.pk)
        teachers = {r.teacher_id: r.teacher for r in rotations}
        for rotation in rotations:
            known = first_start.get(rotation.teacher_id)
            if known is None or rotation.start_date < known[0]:
                first_start[rotation.teacher_id] = (rotation.start_date, rotation.teacher.is_backbone)
        quota = findings.get((QUOTA, school.pk))
        backbone = findings.get((BACKBONE, school.pk))
        backbone_count = sum(t.is_backbone for t in teachers.values())
        board.rows.append(
            BoardRow(
                school=school,
                eligible=quota.measured["eligible"] if quota else 0,
                required=quota.measured["required"] if quota else 0,
                sent=len(teachers),
                backbone=backbone.measured["backbone"] if backbone else backbone_count,
                backbone_required=backbone.measured["required"]
                if backbone
                else share_of(board.backbone_share or Decimal(0), len(teachers)),
                school_leaders=sum(t.cadre == Cadre.SCHOOL for t in teachers.values()),
                middle_managers=sum(t.cadre == Cadre.MIDDLE for t in teachers.values()),
                quota=quota,
                backbone_finding=backbone,
            )
        )
    shown = as_of.strftime("%Y-%m")
    for n, month in enumerate(board.months):
        if month > shown:
            board.sent_by_month.append(None)
            board.backbone_by_month.append(None)
            continue
        until = add_months(year.start, n + 1)
        started = [backbone for start, backbone in first_start.values() if start < until]
        board.sent_by_month.append(len(started))
        board.backbone_by_month.append(sum(started))
    return board
