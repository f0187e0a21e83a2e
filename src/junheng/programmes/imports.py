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


def _recordable(actor: Any) -> Any:
    return Pairing.objects.recorded_by(scope_for(actor, Action.CHANGE)) if actor else Pairing.objects.all()


def recordable_pairings(actor: Any) -> tuple[str, list[list[Any]]]:
    """The template's sheet of the pairings the user records for, named as a sheet names them."""
    pairings = (
        _recordable(actor)
        .with_parties()
        .order_by("supported_school__district__code", "supported_school__name", "round", "sequence")
    )
    rows = [
        [p.supported_school.name, p.sequence, str(p.supporting_unit), str(p.supported_district), str(p.round)]
        for p in pairings
    ]
    return "可填报的结对", [[SCHOOL, SEQUENCE, "支援单位", "受援学校所在区", "轮次"], *rows]


def _find_pairing(actor: Any, values: dict[str, Any]) -> Pairing:
    found = _recordable(actor).filter(supported_school__name=values["school"])
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
    Column(SCHOOL, "school", hint="受援学校的名称，见“可填报的结对”。", example="金泽小学", field="pairing"),
    Column(
        SEQUENCE,
        "sequence",
        parse_int,
        required=False,
        hint="受援学校有多个结对时填写，见“可填报的结对”。",
        example="",
    ),
]

RESIDENTS = TabularImport(
    model=ResidentAssignment,
    kind="residents",
    title="常驻人员",
    columns=[
        *PAIRING_COLUMNS,
        Column("姓名", "person_name", example="张老师"),
        Column("角色", "role", choice_parser(ResidentRole.choices)),
        Column("学科", "subject", required=False, example="数学"),
        Column("开始日期", "start_date", parse_date),
        Column("结束日期", "end_date", parse_date, required=False, example="2025-01-31"),
    ],
    reference=recordable_pairings,
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
        Column("参与人数", "participants", parse_int, required=False, example=12),
        Column("学科", "subjects", required=False, example="语文"),
        Column("内容摘要", "summary", required=False, example="同课异构"),
    ],
    reference=recordable_pairings,
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
        Column("区", "district", required=False, hint="如“青浦区”；留空表示市级活动。", example="青浦区"),
        Column("类型", "kind", choice_parser(ReviewEventKind.choices)),
        Column("日期", "date", parse_date),
        Column("标题", "title", example="青浦区上半年总结交流"),
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
        Column("用途", "purpose", example="教师培训讲课费"),
    ],
    reference=recordable_pairings,
    build=lambda actor, v: Spending(
        pairing=_pairing(actor, v),
        date=v["date"],
        amount=v["amount"],
        category=v["category"],
        purpose=v["purpose"],
    ),
)

IMPORTS = register_imports(RESIDENTS, INTERACTIONS, REVIEW_EVENTS, SPENDING)
