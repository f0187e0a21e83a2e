"""Bulk data in for the plan's work: resident staff, interactions, review events and spending (formats in
docs/import-formats.md). Pairings are named by their supported school, and must be ones the user records for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.tabular import (
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    parse_amount,
    parse_date,
    parse_int,
    register_imports,
    remembered,
)
from junheng.organisations.reference import DistrictResolver

from .models import (
    Interaction,
    InteractionActivity,
    InteractionKind,
    Pairing,
    ProgrammeRound,
    ResidentAssignment,
    ResidentRole,
    ReviewEvent,
    ReviewEventKind,
    Spending,
    SpendingCategory,
)

SCHOOL, SEQUENCE = "受援学校", "结对序号"


def _pairing(actor: Any, values: dict[str, Any]) -> Pairing:
    # A sheet names the same few pairings on many rows: each is looked up once per import.
    return remembered(
        ("pairing", values["school"], values.get("sequence")), lambda: _find_pairing(actor, values)
    )


def _find_pairing(actor: Any, values: dict[str, Any]) -> Pairing:
    recordable = (
        Pairing.objects.recorded_by(scope_for(actor, Action.CHANGE)) if actor else Pairing.objects.all()
    )
    found = recordable.filter(supported_school__name=values["school"])
    if values.get("sequence"):
        found = found.filter(sequence=values["sequence"])
    pairings = list(found[:2])
    if not pairings:
        raise RowProblem(
            SCHOOL, _("No pairing of “%(name)s” that you record for.") % {"name": values["school"]}
        )
    if len(pairings) > 1:
        raise RowProblem(
            SEQUENCE,
            _("“%(name)s” has several pairings: give the pairing's sequence number.")
            % {"name": values["school"]},
        )
    found_one: Pairing = pairings[0]
    return found_one


PAIRING_COLUMNS = [
    Column(SCHOOL, "school"),
    Column(SEQUENCE, "sequence", parse_int, required=False),
]

RESIDENTS = TabularImport(
    model=ResidentAssignment,
    kind="residents",
    title="常驻人员",
    columns=[
        *PAIRING_COLUMNS,
        Column("姓名", "person_name"),
        Column("角色", "role", choice_parser(ResidentRole.choices)),
        Column("学科", "subject", required=False),
        Column("开始日期", "start_date", parse_date),
        Column("结束日期", "end_date", parse_date, required=False),
    ],
    build=lambda actor, v: ResidentAssignment(
        pairing=_pairing(actor, v),
        person_name=v["person_name"],
        role=v["role"],
        subject=v["subject"],
        start_date=v["start_date"],
        end_date=v["end_date"],
    ),
)

INTERACTIONS = TabularImport(
    model=Interaction,
    kind="interactions",
    title="互动交流",
    columns=[
        *PAIRING_COLUMNS,
        Column("日期", "date", parse_date),
        Column("形式", "kind", choice_parser(InteractionKind.choices)),
        Column("活动", "activity", choice_parser(InteractionActivity.choices), required=False),
        Column("参与人数", "participants", parse_int, required=False),
        Column("学科", "subjects", required=False),
        Column("内容摘要", "summary", required=False),
    ],
    build=lambda actor, v: Interaction(
        pairing=_pairing(actor, v),
        date=v["date"],
        kind=v["kind"],
        activity=v["activity"] or InteractionActivity.OTHER,
        participants=v["participants"] or 0,
        subjects=v["subjects"],
        summary=v["summary"],
    ),
)


def _review_event(actor: Any, values: dict[str, Any]) -> ReviewEvent:
    district = None
    if values["district"]:
        district = DistrictResolver().resolve(values["district"])
        if district is None:
            raise RowProblem(
                "区", _("“%(value)s” is not a district of Shanghai.") % {"value": values["district"]}
            )
    programme_round = (
        ProgrammeRound.objects.filter(start_date__lte=values["date"], end_date__gte=values["date"])
        .order_by("-start_date")
        .first()
    )
    if programme_round is None:
        raise RowProblem("日期", _("No programme round runs on %(date)s.") % {"date": values["date"]})
    return ReviewEvent(
        round=programme_round,
        district=district,
        kind=values["kind"],
        date=values["date"],
        title=values["title"],
    )


REVIEW_EVENTS = TabularImport(
    model=ReviewEvent,
    kind="review-events",
    title="交流研讨活动",
    columns=[
        Column("区", "district", required=False),
        Column("类型", "kind", choice_parser(ReviewEventKind.choices)),
        Column("日期", "date", parse_date),
        Column("标题", "title"),
    ],
    build=_review_event,
    notes=["“区”留空表示市级活动，只有市教委可以导入。"],
)

SPENDING = TabularImport(
    model=Spending,
    kind="spending",
    title="经费支出",
    columns=[
        *PAIRING_COLUMNS,
        Column("日期", "date", parse_date),
        Column("金额（元）", "amount", parse_amount),
        Column("类别", "category", choice_parser(SpendingCategory.choices)),
        Column("用途", "purpose"),
    ],
    build=lambda actor, v: Spending(
        pairing=_pairing(actor, v),
        date=v["date"],
        amount=v["amount"],
        category=v["category"],
        purpose=v["purpose"],
    ),
)

IMPORTS = register_imports(RESIDENTS, INTERACTIONS, REVIEW_EVENTS, SPENDING)
