"""Bulk data in for the evaluation: each school's resources and green indicators of a year (formats in
docs/import-formats.md). Schools are named by their code, and must be ones the importing user records for."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.tabular import (
    CellError,
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    parse_int,
    parse_text,
    register_imports,
)
from junheng.organisations.models import School

from .models import AppraisalForm, PrincipalAppraisal, Survey, SurveyResponse
from .models.appraisal import SCORE_MAX
from .models.balance import RESOURCE_STAGES, GreenIndex, GreenIndicatorRecord, ResourceRecord
from .models.surveys import Answer

SCHOOL_CODE = "学校代码"


def _recordable(actor: Any) -> Any:
    return School.objects.restrict(actor, Action.CHANGE) if actor else School.objects.all()


def recordable_schools(actor: Any, district_id: int | None = None) -> tuple[str, list[list[Any]]]:
    """The template's sheet of the schools the user records for (in one district, for a survey)."""
    schools = (
        _recordable(actor).exclude(code=None).select_related("district").order_by("district__code", "code")
    )
    if district_id is not None:
        schools = schools.filter(district_id=district_id)
    rows = [[school.code, school.name, str(school.district)] for school in schools]
    return "可填报的学校", [[SCHOOL_CODE, "学校名称", "区"], *rows]


def school_of(actor: Any, code: str) -> School:
    school: School | None = _recordable(actor).filter(code=code).first()
    if school is None:
        raise RowProblem(
            SCHOOL_CODE, _("No school with code “%(code)s” that you record for.") % {"code": code}
        )
    return school


def parse_quantity(value: Any) -> Decimal | None:
    """An area, an amount or an index: a number, not negative, at most two decimals."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as bad:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from bad
    if not number.is_finite() or number < 0:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    return number.quantize(Decimal("0.01"))


def parse_score(value: Any) -> Decimal | None:
    number = parse_quantity(value)
    if number is not None and number > SCORE_MAX:
        raise CellError(_("A score lies between 0 and 100, not %(value)s.") % {"value": value})
    return number


def parse_index(value: Any) -> Decimal | None:
    number = parse_quantity(value)
    if number is not None and not Decimal(1) <= number <= Decimal(9):
        raise CellError(_("An index lies between 1 and 9, not %(value)s.") % {"value": value})
    return None if number is None else number.quantize(Decimal("0.1"))


SCHOOL_COLUMN = Column(
    SCHOOL_CODE, "school_code", hint="见“可填报的学校”。", example="310118001", field="school"
)


def quantity_column(header: str, key: str) -> Column:
    return Column(header, key, parse_quantity, hint="数值，不为负，最多两位小数。", example="1200.5")


RESOURCE_QUANTITIES = [
    Column("高于规定学历教师数", "qualified_teachers", parse_int),
    Column("县级及以上骨干教师数", "backbone_teachers", parse_int),
    Column("体育、艺术专任教师数", "arts_pe_teachers", parse_int),
    quantity_column("教学及辅助用房面积（平方米）", "teaching_area"),
    quantity_column("体育运动场馆面积（平方米）", "sports_area"),
    quantity_column("教学仪器设备值（元）", "equipment_value"),
    Column("网络多媒体教室数", "multimedia_classrooms", parse_int),
]
GREEN_INDEX_HEADERS = {
    GreenIndex.ACHIEVEMENT: "学生学业水平指数",
    GreenIndex.MOTIVATION: "学生学习动力指数",
    GreenIndex.BURDEN: "学生学业负担指数",
    GreenIndex.TEACHER_STUDENT: "师生关系指数",
    GreenIndex.TEACHING_METHODS: "教师教学方式指数",
    GreenIndex.CURRICULUM_LEADERSHIP: "校长课程领导力指数",
    GreenIndex.BACKGROUND_EFFECT: "学生社会经济背景对学业成绩的影响指数",
    GreenIndex.CONDUCT: "学生品德行为指数",
    GreenIndex.HEALTH: "学生身心健康指数",
    GreenIndex.PROGRESS: "跨年度进步指数",
}

RESOURCES = TabularImport(
    model=ResourceRecord,
    kind="resources",
    title="学校资源配置",
    columns=[
        SCHOOL_COLUMN,
        Column(
            "学年", "school_year", parse_int, hint="起始年份，如 2024 表示 2024-2025 学年。", example=2024
        ),
        Column("学段", "stage", choice_parser(RESOURCE_STAGES)),
        Column("学生数", "students", parse_int, required=False),
        *RESOURCE_QUANTITIES,
    ],
    reference=recordable_schools,
    build=lambda actor, v: ResourceRecord(school=school_of(actor, v.pop("school_code")), **v),
    notes=[
        "学年写起始年份，如 2024 表示 2024-2025 学年。",
        "学生数不填时取该校该学年年度人数中本学段的学生数，不必重复填报。",
        "九年一贯制学校的小学、初中部分各占一行。",
    ],
)

GREEN_INDICATORS = TabularImport(
    model=GreenIndicatorRecord,
    kind="green-indicators",
    title="绿色指标",
    columns=[
        SCHOOL_COLUMN,
        Column("年份", "year", parse_int, example=2024),
        *(
            Column(
                header, index.value, parse_index, required=False, hint="1–9，可保留一位小数。", example="7.5"
            )
            for index, header in GREEN_INDEX_HEADERS.items()
        ),
    ],
    reference=recordable_schools,
    build=lambda actor, v: GreenIndicatorRecord(school=school_of(actor, v.pop("school_code")), **v),
    notes=["各指数取值 1–9，可保留一位小数；报告未给出的指数留空。"],
)

IMPORTS = register_imports(RESOURCES, GREEN_INDICATORS)


def appraisal_import(form: AppraisalForm) -> TabularImport:
    """The sheet of one appraisal form: a row per school's principal, a column per item. Importing again
    replaces the scores of the schools in the sheet."""
    items = list(form.items.all())
    return TabularImport(
        kind="principal-appraisals",
        title=f"{form}（校长考评）",
        columns=[
            SCHOOL_COLUMN,
            Column("校长姓名", "principal_name", example="王校长"),
            *(
                Column(item.name, str(item.pk), parse_score, hint="得分 0–100。", example=90)
                for item in items
            ),
        ],
        reference=recordable_schools,
        build=lambda actor, values: _appraisal(actor, form, values),
        notes=["每个考核项目一列，得分 0–100；总分按各项权重计算。再次导入时更新同一学校的得分。"],
    )


def _appraisal(actor: Any, form: AppraisalForm, values: dict[str, Any]) -> PrincipalAppraisal:
    school = school_of(actor, values.pop("school_code"))
    appraisal = PrincipalAppraisal.objects.filter(form=form, school=school).first() or PrincipalAppraisal(
        form=form, school=school
    )
    appraisal.principal_name = values.pop("principal_name")
    appraisal.scores = {item: float(score) for item, score in values.items()}
    return appraisal


def parse_answer(value: Any) -> int | None:
    """An answer as its number 1–5 or its words (非常满意 … 非常不满意)."""
    text = parse_text(value)
    if not text:
        return None
    for number, label in Answer.choices:
        if text in (str(number), str(label)):
            return number
    raise CellError(
        _("“%(value)s” is not an answer: write 1–5 or %(labels)s.")
        % {"value": text, "labels": "、".join(str(label) for _n, label in Answer.choices)}
    )


def survey_import(survey: Survey) -> TabularImport:
    """Answers collected on paper: a row per respondent, the school's code and a column per question."""
    questions = list(survey.questions.all())
    hint = "写 1–5（5 为非常满意）或文字：" + "、".join(str(label) for _n, label in Answer.choices) + "。"
    return TabularImport(
        kind="survey-responses",
        title=f"{survey}（答卷）",
        columns=[
            SCHOOL_COLUMN,
            *(Column(q.text, str(q.pk), parse_answer, hint=hint, example=5) for q in questions),
        ],
        reference=lambda actor: recordable_schools(actor, survey.district_id),
        build=lambda actor, values: _response(actor, survey, values),
        notes=["每位答卷人一行，每道题一列；答案写 1–5（5 为非常满意）或文字。"],
    )


def _response(actor: Any, survey: Survey, values: dict[str, Any]) -> SurveyResponse:
    school = school_of(actor, values.pop("school_code"))
    if school.district_id != survey.district_id:
        raise RowProblem(SCHOOL_CODE, _("The school is not in the survey's district."))
    return SurveyResponse(survey=survey, school=school, answers=values)
