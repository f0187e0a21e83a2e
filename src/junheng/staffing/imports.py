"""Bulk data in for teacher flow: teachers with their employer (编制), and rotations (formats in
docs/import-formats.md). A teacher is found by its staff number (工号), a school by its name among those the user
may name. An import records what happened — the policy's rules judge it — and a second run of the same file
changes nothing, not even the audit trail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.tabular import (
    CellError,
    ChoiceParser,
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    first_in_file,
    parse_date,
    parse_text,
    register_imports,
    remembered,
)
from junheng.organisations.models import School, in_force_on

from .choices import BackboneTier, Cadre, Duty, RotationKind, RotationStatus, TeachingStage
from .models import Employment, Rotation, Teacher
from .models.teachers import schools_in_reach
from .services import employment_changes

STAFF_NUMBER, EMPLOYER, SINCE, HOST, DUTIES, EARLY_END = (
    "工号",
    "编制学校",
    "本校连续任教起始日期",
    "流入学校",
    "任务",
    "提前结束原因",
)


class WordChoices(ChoiceParser):
    """A choice written in the sheet's own words (特级, 区骨干), which the drop-down offers; the labels the pages
    show (特级教师, 区骨干教师) are read too, so that an exported list imports again."""

    def __init__(self, words: Any, labels: Any) -> None:
        super().__init__(words)
        self.labels = ChoiceParser(labels)

    def __call__(self, value: Any) -> str:
        try:
            return super().__call__(value)
        except CellError:
            if parse_text(value) in self.labels.options:
                return self.labels(value)
            raise  # naming the sheet's words, which the drop-down offers


BACKBONE_WORDS = [
    (BackboneTier.SPECIAL_GRADE, "特级"),
    (BackboneTier.SENIOR_PROFESSOR, "正高级"),
    (BackboneTier.MUNICIPAL_LEADER, "市级学科带头人"),
    (BackboneTier.DISTRICT_LEADER, "区级学科带头人"),
    (BackboneTier.DISTRICT_BACKBONE, "区骨干"),
    (BackboneTier.SCHOOL_BACKBONE, "校级骨干"),
]

DUTY_WORDS = choice_parser(Duty.choices)
DUTY_SEPARATORS = re.compile(r"[、，,;；]")


def parse_duties(value: Any) -> list[str]:
    """Several duties in one cell, separated by 、 or ， or , (the codes, in the order written, once each)."""
    words = [word.strip() for word in DUTY_SEPARATORS.split(parse_text(value))]
    return list(dict.fromkeys(DUTY_WORDS(word) for word in words if word))


def editable_schools(actor: Any) -> Any:
    return School.objects.restrict(actor, Action.CHANGE) if actor else School.objects.all()


def schools_to_name(actor: Any) -> tuple[str, list[list[Any]]]:
    """The template's sheet of the schools the user edits, named as a sheet names them."""
    schools = editable_schools(actor).select_related("district").order_by("district__code", "name")
    return "可填报的学校", [["学校名称", "区"], *([s.name, str(s.district or "")] for s in schools)]


def school_named(schools: Any, name: str, column: str, districts: set[int] | None = None) -> School:
    """The one school of that name among `schools`; among several, the one in `districts` (the context: the
    sending school's district). A name that stays ambiguous is an error, naming the districts."""
    found: list[School] = list(schools.filter(name=name).select_related("district")[:20])
    if len(found) > 1 and districts:
        found = [school for school in found if school.district_id in districts] or found
    if len(found) == 1:
        return found[0]
    if found:
        raise RowProblem(
            column,
            _(
                "Schools named “%(name)s” lie in several districts (%(districts)s): import as that district's bureau."
            )
            % {"name": name, "districts": "、".join(sorted({str(s.district or "") for s in found}))},
        )
    if School.objects.filter(name=name).exists():
        raise RowProblem(column, _("“%(name)s” is not a school you edit for.") % {"name": name})
    raise RowProblem(column, _("No school is named “%(name)s”.") % {"name": name})


# Teachers ----------------------------------------------------------------------------------------------------------

TEACHER_FIELDS = ("name", "stage", "subject", "backbone_tier", "cadre", "title")


@dataclass
class TeacherRow:
    teacher: Teacher  # with the row's fields set, not yet saved
    school: School
    since: date
    moves: bool  # a new teacher, a new employer or another start: the employment changes


def _teacher(actor: Any, values: dict[str, Any]) -> TeacherRow | None:
    """The teacher the row describes, new or changed; None when it is already as the row says."""
    number = values["staff_number"]
    if not first_in_file(("teacher", number)):
        raise RowProblem(STAFF_NUMBER, _("An earlier row of this file describes the same teacher."))
    school = remembered(
        ("employer", values["employer"]),
        lambda: school_named(editable_schools(actor), values["employer"], EMPLOYER),
    )
    teacher = Teacher.objects.filter(staff_number=number).first() or Teacher(staff_number=number)
    if teacher.pk and not _may_change(actor, teacher):
        raise RowProblem(
            STAFF_NUMBER,
            _("The teacher numbered %(number)s is employed by a school you do not edit for.")
            % {"number": number},
        )
    since = values["employed_since"]
    moves = teacher.pk is None or (teacher.employer_id, teacher.employed_since) != (school.pk, since)
    given = {name: values[name] for name in TEACHER_FIELDS}
    if not moves and all(getattr(teacher, name) == value for name, value in given.items()):
        return None
    if teacher.pk and teacher.employer_id != school.pk and since <= teacher.employed_since:
        raise RowProblem(
            SINCE,
            _("A new employer's date must come after the start at %(school)s (%(date)s).")
            % {"school": teacher.employer, "date": teacher.employed_since.isoformat()},
        )
    for name, value in given.items():
        setattr(teacher, name, value)
    return TeacherRow(teacher, school, since, moves)


def _may_change(actor: Any, teacher: Teacher) -> bool:
    """Whether the user may change the teacher as it is now; the teachers it may change are read once per import
    (an operator's command and the municipal commission: every teacher)."""
    if actor is None or scope_for(actor, Action.CHANGE).everything:
        return True
    editable: set[int] = remembered(
        "editable teachers",
        lambda: set(Teacher.objects.restrict(actor, Action.CHANGE).values_list("pk", flat=True)),
    )
    return teacher.pk in editable


def _teacher_writes(actor: Any, row: TeacherRow | None) -> Iterator[Model]:
    """A change of employer or of its start goes through the service's employment changes (the old employment
    ends the day before, the continuous years restart); any other change saves the teacher alone; a teacher
    already as the row says, nothing."""
    if row is None:
        return
    if row.moves:
        yield from employment_changes(row.teacher, row.school, row.since)
    else:
        yield row.teacher


TEACHERS = TabularImport(
    model=Teacher,
    kind="teachers",
    title="教师",
    columns=[
        Column(STAFF_NUMBER, "staff_number", hint="教师的工号，全市唯一；按工号查找教师。", example="QP0001"),
        Column("姓名", "name", example="张老师"),
        Column(EMPLOYER, "employer", hint="编制所在学校的名称，见“可填报的学校”。", example="青浦区实验小学"),
        Column("学段", "stage", choice_parser(TeachingStage.choices), required=False),
        Column("学科", "subject", required=False, example="数学"),
        Column(
            "骨干层级",
            "backbone_tier",
            WordChoices(BACKBONE_WORDS, BackboneTier.choices),
            required=False,
            hint="留空表示不是骨干教师。",
            example="区骨干",
        ),
        Column("干部", "cadre", choice_parser(Cadre.choices), required=False, hint="留空即“否”。"),
        Column(
            SINCE,
            "employed_since",
            parse_date,
            hint="在编制学校连续任教的起始日期，如 2018-09-01；轮岗资格按此计算。",
            example="2018-09-01",
        ),
        Column("职称", "title", required=False, example="一级教师"),
    ],
    build=_teacher,
    writes=_teacher_writes,
    reference=schools_to_name,
    notes=[
        "按工号查找教师：已有的教师更新，没有的新建。每行写出教师的全部信息，留空的单元格清空该项（骨干层级留空即非骨干，干部留空即否）。",
        "编制学校改变时，原编制在新的“本校连续任教起始日期”的前一天结束，编制历史保留，连续任教年限重新计算；新日期须晚于原编制的起始日期。",
        "区教育局只能导入本区学校的教师，学校只能导入本校的教师。",
        "再次导入同一文件不作任何改动。",
    ],
)


# Rotations ---------------------------------------------------------------------------------------------------------


def _rotation(actor: Any, values: dict[str, Any]) -> Rotation | None:
    """The rotation the row describes (the teacher's rotation starting that day, or a new one); None when it is
    already as the row says. The sending school is the teacher's employer on the start date."""
    number, start = values["staff_number"], values["start_date"]
    teacher = remembered(("teacher", number), lambda: _teacher_numbered(number))
    if not first_in_file(("rotation", teacher.pk, start)):
        raise RowProblem(
            "开始日期", _("An earlier row of this file gives this teacher's rotation from this date.")
        )
    employment = (
        Employment.objects.filter(in_force_on(start), teacher=teacher).select_related("school").first()
    )
    if employment is None:
        raise RowProblem(
            "开始日期",
            _("The teacher has no employer on %(date)s: import the teacher's employment first.")
            % {"date": start.isoformat()},
        )
    sending = employment.school
    host = remembered(
        ("host", values["host"], sending.district_id),
        lambda: school_named(School.objects.all(), values["host"], HOST, {sending.district_id}),
    )
    if host == sending:
        raise RowProblem(HOST, _("A rotation goes to another school than the employer."))
    if actor is not None and not {sending.pk, host.pk} & _reachable_schools(actor):
        raise RowProblem(
            HOST,
            _("Neither the sending school (%(sending)s) nor the receiving school is one you edit for.")
            % {"sending": sending},
        )
    status = values["status"] or (
        RotationStatus.ENDED if values["actual_end"] else RotationStatus.IN_PROGRESS
    )
    if status == RotationStatus.ENDED and not values["actual_end"]:
        raise RowProblem("实际结束日期", _("An ended rotation needs its actual end date."))
    if values["actual_end"] and values["actual_end"] < values["planned_end"] and not values["end_reason"]:
        raise RowProblem(EARLY_END, _("Say why the rotation ended before its planned end."))
    given = {
        "kind": values["kind"],
        "from_school_id": sending.pk,
        "host_id": host.pk,
        "planned_end": values["planned_end"],
        "actual_end": values["actual_end"],
        "end_reason": values["end_reason"],
        "duties": values["duties"],
        "team": values["team"],
        "status": status,
    }
    rotation: Rotation | None = Rotation.objects.filter(teacher=teacher, start_date=start).first()
    if rotation is None:
        return Rotation(teacher=teacher, start_date=start, **given)
    if all(getattr(rotation, name) == value for name, value in given.items()):
        return None
    for name, value in given.items():
        setattr(rotation, name, value)
    return rotation


def _teacher_numbered(number: str) -> Teacher:
    teacher: Teacher | None = Teacher.objects.filter(staff_number=number).first()
    if teacher is None:
        raise RowProblem(
            STAFF_NUMBER,
            _("No teacher has the staff number %(number)s: import the teacher first.") % {"number": number},
        )
    return teacher


def _reachable_schools(actor: Any) -> set[int]:
    """The schools whose rotations the user changes (a cluster office: its member schools), read once."""
    scope = scope_for(actor, Action.CHANGE)
    return remembered(
        "reachable schools",
        lambda: set(
            School.objects.filter(schools_in_reach(scope, Action.CHANGE)).values_list("pk", flat=True)
        ),
    )


ROTATIONS = TabularImport(
    model=Rotation,
    kind="rotations",
    title="轮岗",
    columns=[
        Column(
            STAFF_NUMBER, "staff_number", hint="教师的工号；教师须已导入。", example="QP0001", field="teacher"
        ),
        Column(HOST, "host", hint="接收教师的学校的名称。", example="青浦区金泽小学", field="host"),
        Column("类型", "kind", choice_parser(RotationKind.choices)),
        Column("开始日期", "start_date", parse_date),
        Column("计划结束日期", "planned_end", parse_date, example="2027-08-31"),
        Column(
            "实际结束日期",
            "actual_end",
            parse_date,
            required=False,
            hint="轮岗结束后填写，如 2027-08-31；早于计划结束日期时须填写提前结束原因。",
            example="",
        ),
        Column("组团", "team", required=False, hint="同一组团流入的教师填写相同的组名。", example=""),
        Column(
            DUTIES,
            "duties",
            parse_duties,
            required=False,
            hint="可填多项，用“、”或“，”分隔：" + "、".join(DUTY_WORDS.options) + "。",
            example="包班上课、教研引领",
        ),
        Column(
            "状态",
            "status",
            choice_parser(RotationStatus.choices),
            required=False,
            hint="留空表示进行中（已同意并备案）；填写了实际结束日期而状态留空即已结束。",
            example="",
        ),
        Column(
            EARLY_END,
            "end_reason",
            required=False,
            hint="实际结束日期早于计划结束日期时必填，其他情况可留空。",
            example="",
        ),
    ],
    build=_rotation,
    reference=schools_to_name,
    notes=[
        "按工号和开始日期查找轮岗：已有的更新，没有的新建。派出学校是教师在开始日期的编制学校。",
        "导入记录已经发生的轮岗，是否符合政策要求由合规检查判断（如计划两年的轮岗可以导入）。",
        "同一教师的轮岗时间不能重叠；有重叠的行报错，整个文件不保存。",
        "实际结束日期早于计划结束日期时，须填写“提前结束原因”。",
        "派出学校或流入学校须是本单位可编辑的学校。",
        "再次导入同一文件不作任何改动。",
    ],
)

IMPORTS = register_imports(TEACHERS, ROTATIONS)
