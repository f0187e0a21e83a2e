"""Bulk data in for the rotation planner: the weaker schools' needs by school year, subject and stage (format in
docs/import-formats.md). A need is found by its school, school year, subject and stage: a second run of the same
file changes nothing."""

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
    first_in_file,
    parse_int,
    register_imports,
    remembered,
)
from junheng.organisations.models import School
from junheng.staffing.imports import school_named
from junheng.staffing.models.teachers import schools_in_reach

from .models import PlannedStage, RotationNeed

SCHOOL, YEAR, NEED = "学校名称", "学年", "需求人数"


def _schools(actor: Any) -> Any:
    """The schools whose needs the user states: its schools, a cluster office's members, a bureau's district."""
    if actor is None:
        return School.objects.all()
    return School.objects.filter(schools_in_reach(scope_for(actor, Action.CHANGE), Action.CHANGE))


def schools_to_name(actor: Any) -> tuple[str, list[list[Any]]]:
    schools = _schools(actor).select_related("district").order_by("district__code", "name")
    return "可填报的学校", [["学校名称", "区"], *([s.name, str(s.district or "")] for s in schools)]


def _need(actor: Any, values: dict[str, Any]) -> RotationNeed | None:
    school = remembered(
        ("school", values["school"]), lambda: school_named(_schools(actor), values["school"], SCHOOL)
    )
    year, subject, stage = values["school_year"], values["subject"], values["stage"]
    if year is None or not 2000 <= year <= 2100:
        raise RowProblem(YEAR, _("Write the school year as its starting year, such as 2025."))
    if values["need"] is None or values["need"] < 0:
        raise RowProblem(NEED, _("Write how many teachers the school wants, 0 or more."))
    if not first_in_file(("need", school.pk, year, subject, stage)):
        raise RowProblem(
            "学科", _("An earlier row of this file gives this school's need in this subject and stage.")
        )
    need: RotationNeed = RotationNeed.objects.filter(
        school=school, school_year=year, subject=subject, stage=stage
    ).first() or RotationNeed(school=school, school_year=year, subject=subject, stage=stage)
    if need.pk and need.need == values["need"]:
        return None
    need.need = values["need"]
    return need


ROTATION_NEEDS = TabularImport(
    model=RotationNeed,
    kind="rotation-needs",
    title="轮岗需求",
    columns=[
        Column(
            SCHOOL,
            "school",
            hint="提出需求的相对薄弱校的名称，见“可填报的学校”。",
            example="青浦区金泽小学",
            field="school",
        ),
        Column(
            YEAR, "school_year", parse_int, hint="学年的起始年份，如 2025 即 2025-2026 学年。", example=2025
        ),
        Column("学科", "subject", example="数学"),
        Column("学段", "stage", choice_parser(PlannedStage.choices)),
        Column(NEED, "need", parse_int, hint="希望流入的教师人数；0 表示不需要。", example=2),
    ],
    build=_need,
    reference=schools_to_name,
    notes=[
        "按学校、学年、学科和学段查找需求：已有的更新，没有的新建。",
        "已经安排在该学年流入该校的轮岗教师计入需求。",
        "再次导入同一文件不作任何改动。",
    ],
)

IMPORTS = register_imports(ROTATION_NEEDS)
