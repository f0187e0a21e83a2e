"""Bulk data in for the registry: a district's schools, and its clusters row by membership (formats in
docs/import-formats.md). A district is named as it is written (name, short name, code or an old name); schools are
matched by name within it. A user imports only into the districts it edits for, and a second run of the same file
changes nothing, not even the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY
from junheng.core.scope import scope_for
from junheng.core.tabular import (
    CellError,
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    first_in_file,
    parse_date,
    parse_yes_no,
    register_imports,
    remembered,
)

from .choices import ClusterKind, ModelStatus, Ownership, Stage, Tier, stage_from_name
from .models import Cluster, ClusterMembership, District, School
from .reference import DistrictResolver

DISTRICT, NAME, LEAD, MEMBER, STATUS = "区", "学区/集团名称", "牵头校", "成员校", "示范创建状态"


def parse_coordinate(value: Any) -> Decimal | None:
    """Degrees as a decimal number (121.4737), kept to six places as the registry keeps them."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as bad:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from bad
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    return number.quantize(Decimal("0.000001"))


def editable_district(actor: Any, written: str) -> District:
    """The district a row names, which must be one the user edits for (an operator's command: any)."""
    district: District | None = remembered("districts", DistrictResolver).resolve(written)
    if district is None:
        raise RowProblem(DISTRICT, _("“%(value)s” is not a district of Shanghai.") % {"value": written})
    if actor is not None:
        scope = scope_for(actor, Action.CHANGE)
        if not scope.everything and district.pk not in scope.districts:
            raise RowProblem(
                DISTRICT,
                _("You import only into the districts you edit for, and %(district)s is not one of them.")
                % {"district": district},
            )
    return district


def school_in(district: District, name: str, column: str) -> School:
    def find() -> School:
        school: School | None = School.objects.filter(district=district, name=name).first()
        if school is None:
            raise RowProblem(
                column,
                _("%(district)s has no school named “%(name)s”.") % {"district": district, "name": name},
            )
        return school

    return remembered(("school", district.pk, name), find)


def editable_schools(actor: Any) -> tuple[str, list[list[Any]]]:
    """The template's sheet of the schools the user edits, named as a sheet names them."""
    schools = School.objects.restrict(actor, Action.CHANGE) if actor else School.objects.all()
    rows = [
        [school.name, str(school.district or ""), school.get_stage_display()]
        for school in schools.select_related("district").order_by("district__code", "name")
    ]
    return "可填报的学校", [["学校名称", DISTRICT, "学段"], *rows]


# Schools -----------------------------------------------------------------------------------------------------------

SCHOOL_FIELDS = ("stage", "ownership", "longitude", "latitude", "is_new", "is_rural")


def _school(actor: Any, values: dict[str, Any]) -> School | None:
    """The school the row describes, new or changed; None when it is already as the row says. An empty cell keeps
    what the registry holds (a new school: its stage as its name states it, public, not new, not rural)."""
    district = editable_district(actor, values["district"])
    if not first_in_file(("school", district.pk, values["name"])):
        raise RowProblem("学校名称", _("An earlier row of this file describes the same school."))
    given = {name: values[name] for name in SCHOOL_FIELDS if values[name] not in (None, "")}
    school = School.objects.filter(district=district, name=values["name"]).first()
    if school is None:
        school = School(name=values["name"], district=district, stage=stage_from_name(values["name"]))
    elif all(getattr(school, name) == value for name, value in given.items()):
        return None
    for name, value in given.items():
        setattr(school, name, value)
    return school


SCHOOLS = TabularImport(
    model=School,
    kind="schools",
    title="学校",
    columns=[
        Column("学校名称", "name", example="青浦区金泽小学"),
        Column(
            DISTRICT, "district", hint="区的名称、简称或代码，如“青浦区”“青浦”“310118”。", example="青浦区"
        ),
        Column("学段", "stage", choice_parser(Stage.choices), required=False),
        Column("办别", "ownership", choice_parser(Ownership.choices), required=False),
        Column(
            "经度", "longitude", parse_coordinate, required=False, hint="度，如 121.05。", example="121.05"
        ),
        Column("纬度", "latitude", parse_coordinate, required=False, hint="度，如 31.11。", example="31.11"),
        Column("新开办", "is_new", parse_yes_no, required=False, example="否"),
        Column("乡村", "is_rural", parse_yes_no, required=False, example="是"),
    ],
    build=_school,
    reference=editable_schools,
    notes=[
        "按“区”和“学校名称”查找学校：已有的学校更新，没有的新建。",
        "留空的单元格不改动已有的内容；新建的学校留空时学段按校名判断，办别为公办，新开办、乡村为否。",
        "只能导入本单位可编辑的区的学校。",
    ],
)


# Clusters, one row per membership ----------------------------------------------------------------------------------

MODEL_STATUS_WORDS = [
    (ModelStatus.NONE, "无"),
    (ModelStatus.CREATING, "创建中"),
    (ModelStatus.ACCREDITED, "已认定"),
]
# The columns that describe the cluster, not the membership: every row of one cluster agrees on them.
CLUSTER_COLUMNS = {"kind": "类型", "lead_school": LEAD, "close_knit": "紧密型", "model_status": STATUS}


@dataclass
class MembershipRow:
    district: District
    name: str
    cluster: dict[str, Any]  # the cluster's columns (field -> value), shared by all rows of the cluster
    school: School
    tier: str
    start_date: date
    end_date: date | None


def _membership_row(actor: Any, values: dict[str, Any]) -> MembershipRow:
    district = editable_district(actor, values["district"])
    given = {
        "kind": values["kind"],
        "lead_school": school_in(district, values["lead_school"], LEAD),
        "close_knit": values["close_knit"],
        "model_status": values["model_status"] or None,
    }
    cluster: dict[str, Any] = remembered(("cluster", district.pk, values["name"]), dict)
    for key, value in given.items():
        if value is None:
            continue
        if cluster.setdefault(key, value) != value:
            raise RowProblem(
                CLUSTER_COLUMNS[key],
                _(
                    "An earlier row of the same cluster gives “%(value)s”: the rows of one cluster agree on it."
                )
                % {"value": _written(key, cluster[key])},
            )
    _check_model_status(actor, district, values)
    school = school_in(district, values["school"], MEMBER)
    if not first_in_file(("membership", district.pk, values["name"], school.pk, values["start_date"])):
        raise RowProblem(
            MEMBER, _("An earlier row of this file gives this school's membership from this date.")
        )
    return MembershipRow(
        district, values["name"], cluster, school, values["tier"], values["start_date"], values["end_date"]
    )


def _written(key: str, value: Any) -> str:
    """A cluster column's value as the sheet writes it."""
    if key == "model_status":
        return dict(MODEL_STATUS_WORDS)[value]
    if key == "kind":
        return str(ClusterKind(value).label)
    if key == "close_knit":
        return "是" if value else "否"
    return str(value)


def _check_model_status(actor: Any, district: District, values: dict[str, Any]) -> None:
    """Model status is decided above the cluster's editors (the resource's field rule): they may only repeat it."""
    if actor is None or not values["model_status"]:
        return
    reason = REGISTRY["clusters"].locked_fields(actor).get("model_status")
    if reason is None:
        return
    current = remembered(
        ("model status", district.pk, values["name"]),
        lambda: (
            Cluster.objects.filter(district=district, name=values["name"])
            .values_list("model_status", flat=True)
            .first()
            or ModelStatus.NONE
        ),
    )
    if values["model_status"] != current:
        raise RowProblem(STATUS, str(reason))


def _membership_writes(actor: Any, row: MembershipRow) -> Iterator[Any]:
    """The cluster (new, or changed by the rows), then the membership's changes."""
    wanted = {
        ("lead_school_id" if k == "lead_school" else k): getattr(v, "pk", v) for k, v in row.cluster.items()
    }
    cluster = Cluster.objects.filter(district=row.district, name=row.name).first()
    if cluster is None:
        cluster = Cluster(district=row.district, name=row.name)
    if cluster.pk is None or any(getattr(cluster, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(cluster, name, value)
        yield cluster
    yield from _membership_changes(cluster, row)


def _membership_changes(cluster: Cluster, row: MembershipRow) -> Iterator[ClusterMembership]:
    """A membership is history: the row's membership is the one that starts on its join date. If there is one,
    the row corrects its tier and exit date; if not, the school's membership in force on that date ends the day
    before, and the row's starts."""
    held = list(cluster.memberships.filter(school=row.school))
    same_start = next((m for m in held if m.start_date == row.start_date), None)
    if same_start is not None:
        if (same_start.tier, same_start.end_date) != (row.tier, row.end_date):
            same_start.tier, same_start.end_date = row.tier, row.end_date
            yield same_start
        return
    for membership in held:
        if membership.start_date < row.start_date and (
            membership.end_date is None or membership.end_date >= row.start_date
        ):
            membership.end_date = row.start_date - timedelta(days=1)
            yield membership
    yield ClusterMembership(
        cluster=cluster,
        school=row.school,
        tier=row.tier,
        start_date=row.start_date,
        end_date=row.end_date,
    )


CLUSTERS = TabularImport(
    model=Cluster,
    kind="clusters",
    title="学区和集团成员",
    columns=[
        Column(NAME, "name", example="青浦区实验小学教育集团"),
        Column("类型", "kind", choice_parser(ClusterKind.choices), example="集团"),
        Column(
            DISTRICT, "district", hint="区的名称、简称或代码，如“青浦区”“青浦”“310118”。", example="青浦区"
        ),
        Column(LEAD, "lead_school", hint="本区学校的名称，见“可填报的学校”。", example="青浦区实验小学"),
        Column(MEMBER, "school", hint="本区学校的名称，见“可填报的学校”。", example="青浦区金泽小学"),
        Column("层级", "tier", choice_parser(Tier.choices), example="相对薄弱校"),
        Column("加入日期", "start_date", parse_date),
        Column("退出日期", "end_date", parse_date, required=False, hint="留空表示仍是成员。", example=""),
        Column("紧密型", "close_knit", parse_yes_no, required=False),
        Column(STATUS, "model_status", choice_parser(MODEL_STATUS_WORDS), required=False),
    ],
    build=_membership_row,
    writes=_membership_writes,
    reference=editable_schools,
    notes=[
        "每行是一所学校在一个学区或集团中的一段成员关系；牵头校也作为成员校占一行。",
        "学区或集团按“区”和“学区/集团名称”查找，没有的新建。同一学区或集团的各行，类型、牵头校、紧密型、示范创建状态须一致（可留空）。",
        "退出日期留空表示仍是成员。层级或日期变化时，写新的一行并填新的加入日期：原成员关系在新加入日期的前一天结束，另起一段，历史得以保留。"
        "加入日期相同的行更正该段成员关系的层级和退出日期。文件中没有的成员关系不作改动。",
        "示范创建状态只有市教委可以更改；其他单位填写时须与现状一致，或留空。",
        "只能导入本单位可编辑的区的学区和集团。",
    ],
)

IMPORTS = register_imports(SCHOOLS, CLUSTERS)
