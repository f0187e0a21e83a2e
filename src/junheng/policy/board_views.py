"""The clusters' rotation boards (S2 二(二)): the model clusters the user may see, and one cluster's board for a
school year as a page with its chart and as an Excel workbook. A cluster outside the user's scope is a 404."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.exports import CONTENT_TYPES, as_attachment, write_workbook
from junheng.core.scope import access_object
from junheng.core.views import year_parameter
from junheng.organisations.models import Cluster
from junheng.staffing.selectors import MODEL_STATUSES

from .flow_board import BACKBONE, QUOTA, Board, rotation_board, school_years, status_of
from .views import rule_heading


class RotationBoardListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        clusters = (
            Cluster.objects.restrict(request.user)
            .filter(model_status__in=MODEL_STATUSES)
            .select_related("district", "lead_school")
            .order_by("district__code", "name")
        )
        return render(request, "policy/rotation_boards.html", {"clusters": clusters})


def _board(request: HttpRequest, pk: int) -> Board:
    cluster = access_object(Cluster, request.user, pk)
    today = timezone.localdate()
    offered = school_years(today)
    year = year_parameter(request, "school_year") or offered[0]
    if year not in offered:
        raise BadRequest(
            _("The board shows the school years from %(first)d to %(last)d.")
            % {"first": offered[-1], "last": offered[0]}
        )
    return rotation_board(cluster, year, today)


class RotationBoardView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        board = _board(request, pk)
        chart = {
            "months": board.months,
            "sent": board.sent_by_month,
            "backbone": board.backbone_by_month,
            "required": board.totals["required"],
            "labels": {
                "sent": _("Sent into weaker schools (cumulative)"),
                "backbone": _("Of whom backbone teachers (cumulative)"),
                "required": _("To send in the year"),
            },
        }
        return render(
            request,
            "policy/rotation_board.html",
            {
                "board": board,
                "cluster": board.cluster,
                "years": school_years(timezone.localdate()),
                "quota_heading": rule_heading(QUOTA, board.thresholds),
                "backbone_heading": rule_heading(BACKBONE, board.thresholds),
                "chart": chart,
            },
        )


def board_rows(board: Board) -> list[list[Any]]:
    """The board as the workbook lists it: a header, a row per quality school, the cluster's total."""

    def status(finding: Any) -> str:
        found = status_of(finding)
        return found["label"] if found else "—"

    def share(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.1f}%"

    rows: list[list[Any]] = [
        [
            _("Quality school"),
            _("Rotation-eligible teachers"),
            _("To send into weaker schools"),
            _("Sent into weaker schools"),
            _("Of whom backbone teachers"),
            _("Backbone share"),
            _("Backbone teachers needed"),
            _("School leaders sent"),
            _("Middle managers sent"),
            QUOTA,
            BACKBONE,
        ]
    ]
    for row in board.rows:
        rows.append(
            [
                row.school.name,
                row.eligible,
                row.required,
                row.sent,
                row.backbone,
                share(row.backbone_share),
                row.backbone_required,
                row.school_leaders,
                row.middle_managers,
                status(row.quota),
                status(row.backbone_finding),
            ]
        )
    totals = board.totals
    rows.append(
        [
            _("Cluster total"),
            totals["eligible"],
            totals["required"],
            totals["sent"],
            totals["backbone"],
            share(totals["backbone_share"]),
            "",
            totals["school_leaders"],
            totals["middle_managers"],
            "",
            "",
        ]
    )
    return rows


def month_rows(board: Board) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("Month"), _("Sent into weaker schools (cumulative)"), _("Of whom backbone teachers (cumulative)")]
    ]
    for month, sent, backbone in zip(board.months, board.sent_by_month, board.backbone_by_month, strict=True):
        if sent is not None:
            rows.append([month, sent, backbone])
    return rows


class RotationBoardExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        board = _board(request, pk)
        heading = [
            [f"{board.cluster.name} · {board.school_year}"],
            [_("As of %(day)s") % {"day": board.as_of.isoformat()}],
            [rule_heading(QUOTA, board.thresholds)],
            [rule_heading(BACKBONE, board.thresholds)],
            [],
        ]
        stream = io.BytesIO()
        write_workbook(
            [
                (_("Rotation board"), [*heading, *board_rows(board)]),
                (_("By month"), month_rows(board)),
            ],
            stream,
        )
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["xlsx"])
        label = _("rotation board")
        name = f"{board.cluster.name}-{board.school_year}-{label}.xlsx"
        return as_attachment(
            response, name, f"rotation-board-{board.cluster.pk}-{board.school_year.start_year}.xlsx"
        )
