"""Bulk data in for facility sharing: a school's facilities with their opening hours (format in
docs/import-formats.md). A facility is found by its owner school and its name, so a sheet imported again changes
what it changed and nothing else — a second run of the same file changes nothing, not even the audit trail."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from junheng.core.tabular import (
    CellError,
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    first_in_file,
    parse_int,
    parse_text,
    register_imports,
    remembered,
)
from junheng.staffing.imports import editable_schools, school_named, schools_to_name

from .choices import FacilityKind
from .hours import Hours, parse_hours
from .models import Facility

OWNER, NAME, HOURS = "所属学校", "场馆设施名称", "开放时间"
# Days may be written on one line, separated by ；: before a weekday's name it starts the next day.
_NEXT_DAY = re.compile(r"[;；]\s*(?=(周|星期|mon|tue|wed|thu|fri|sat|sun|[1-7]\s))", re.IGNORECASE)


def parse_cell_hours(value: Any) -> Hours:
    """Opening hours in one cell: a line per weekday (or days separated by ；), as the facility's page writes them."""
    text = _NEXT_DAY.sub("\n", parse_text(value))
    try:
        return parse_hours(text)
    except ValidationError as wrong:
        raise CellError("；".join(wrong.messages)) from wrong


FIELDS = ("kind", "capacity", "location", "opening_hours", "extended_hours", "note")


def _facility(actor: Any, values: dict[str, Any]) -> Facility | None:
    """The facility the row describes, new or changed; None when it is already as the row says."""
    school = remembered(
        ("owner", values["owner"]), lambda: school_named(editable_schools(actor), values["owner"], OWNER)
    )
    if not first_in_file(("facility", school.pk, values["name"])):
        raise RowProblem(NAME, _("An earlier row of this file describes the same facility."))
    facility = Facility.objects.filter(owner=school, name=values["name"]).first()
    given = {name: values[name] for name in FIELDS}
    if facility is not None and all(getattr(facility, name) == value for name, value in given.items()):
        return None
    facility = facility or Facility(owner=school, name=values["name"])
    for name, value in given.items():
        setattr(facility, name, value)
    return facility


FACILITIES = TabularImport(
    model=Facility,
    kind="facilities",
    title="场馆设施",
    columns=[
        Column(OWNER, "owner", hint="学校名称，见“可填报的学校”。", example="月浦中心校", field="owner"),
        Column(
            NAME, "name", hint="同一学校内不重名；再次导入时按学校和名称找到原记录。", example="物理实验室"
        ),
        Column("类型", "kind", choice_parser(FacilityKind.choices)),
        Column("容纳人数", "capacity", parse_int, example=40),
        Column("位置", "location", required=False, example="实验楼三层"),
        Column(
            HOURS,
            "opening_hours",
            parse_cell_hours,
            required=False,
            hint="每个星期几一行（或以“；”分隔）：周一 08:00-12:00, 13:00-17:00。",
            example="周一 08:00-17:00；周三 13:00-17:00",
        ),
        Column(
            "延时开放时间",
            "extended_hours",
            parse_cell_hours,
            required=False,
            hint="晚间、周末和节假日，写法同开放时间。",
            example="周六 09:00-12:00",
        ),
        Column("备注", "note", required=False),
    ],
    reference=schools_to_name,
    build=_facility,
    notes=[
        "一行一个场馆设施；同一学校的同名设施视为同一条记录，再次导入时更新，内容相同则不作改动。",
        "开放时间每个星期几一行，如“周一 08:00-12:00, 13:00-17:00”；一个单元格内也可用“；”分隔不同的日子。",
        "留空的开放时间表示不开放；延时开放时间指晚间、周末和节假日。",
    ],
)

FACILITY_IMPORTS = register_imports(FACILITIES)
