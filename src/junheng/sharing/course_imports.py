"""Bulk data in for shared courses (formats in docs/import-formats.md): a school's courses for a semester, and its
students' applications in a cluster's open enrolment round. A second run of the same file changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.tabular import (
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
from junheng.organisations.models import Cluster, School

from .course_choices import CourseKind, RoundStatus, SemesterNumber
from .course_forms import parse_sessions, parse_slots
from .models import CourseApplication, EnrolmentRound, SharedCourse, Student

SCHOOL, CLUSTER, TITLE, SLOTS, SESSIONS = "开课学校", "学区或集团", "课程名称", "每周时段", "日期安排"
NUMBER, STUDENT_SCHOOL, COURSE, RANK = "学籍号", "学生所在学校", "课程编号", "志愿序号"


def _editable_school(actor: Any, name: str, column: str) -> School:
    schools = School.objects.restrict(actor, Action.CHANGE) if actor else School.objects.all()
    found: list[School] = list(schools.filter(name=name)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise RowProblem(column, _("Several schools you edit are named “%(name)s”.") % {"name": name})
    raise RowProblem(column, _("“%(name)s” is not a school you edit for.") % {"name": name})


def _list_cell(parse: Any, column: str) -> Any:
    def read(value: Any) -> list[str]:
        from django.core.exceptions import ValidationError

        from junheng.core.tabular import CellError

        try:
            result: list[str] = parse(parse_text(value))
        except ValidationError as bad:
            raise CellError("；".join(bad.messages)) from bad
        return result

    return read


# Courses ---------------------------------------------------------------------------------------------------------

COURSE_FIELDS = (
    "kind",
    "subject",
    "stages",
    "grades",
    "capacity",
    "slots",
    "sessions",
    "teacher",
    "place",
    "note",
)


def _course(actor: Any, values: dict[str, Any]) -> SharedCourse | None:
    school = remembered(
        ("school", values["school"]), lambda: _editable_school(actor, values["school"], SCHOOL)
    )
    cluster = remembered(("cluster", values["cluster"]), lambda: _cluster_named(values["cluster"], school))
    if values["semester"] not in ("1", "2"):
        raise RowProblem("学期", _("Write 1 or 2."))
    key = {
        "school": school,
        "cluster": cluster,
        "school_year": values["school_year"],
        "semester": int(values["semester"]),
        "title": values["title"],
    }
    if not first_in_file(
        ("course", school.pk, cluster.pk, key["school_year"], key["semester"], key["title"])
    ):
        raise RowProblem(TITLE, _("An earlier row of this file gives the same course."))
    course: SharedCourse = SharedCourse.objects.filter(**key).first() or SharedCourse(**key)
    given = {name: values[name] for name in COURSE_FIELDS}
    if course.pk and all(getattr(course, name) == value for name, value in given.items()):
        return None
    for name, value in given.items():
        setattr(course, name, value)
    return course


def _cluster_named(name: str, school: School) -> Cluster:
    cluster: Cluster | None = Cluster.objects.filter(name=name, memberships__school=school).distinct().first()
    if cluster is None:
        raise RowProblem(
            CLUSTER, _("“%(school)s” is in no cluster named “%(name)s”.") % {"school": school, "name": name}
        )
    return cluster


def _schools_sheet(actor: Any) -> tuple[str, list[list[Any]]]:
    schools = School.objects.restrict(actor, Action.CHANGE) if actor else School.objects.all()
    rows = []
    for school in schools.prefetch_related("cluster_memberships__cluster").order_by("name")[:2000]:
        for membership in school.cluster_memberships.all():
            rows.append([school.name, membership.cluster.name])
    return "可填报的学校", [["学校名称", "学区或集团"], *rows]


SEMESTER_WORDS = [("1", str(SemesterNumber.FIRST.label)), ("2", str(SemesterNumber.SECOND.label))]

COURSES = TabularImport(
    model=SharedCourse,
    kind="shared-courses",
    title="共享课程",
    columns=[
        Column(
            SCHOOL, "school", hint="开设课程的学校，见“可填报的学校”。", example="月浦中心校", field="school"
        ),
        Column(
            CLUSTER, "cluster", hint="课程共享所在的学区或集团。", example="宝山区示范集团", field="cluster"
        ),
        Column(
            "学年", "school_year", parse_int, hint="学年的起始年份：2024 即 2024-2025 学年。", example=2024
        ),
        Column(
            "学期",
            "semester",
            parse_text,
            hint="1 为第一学期（9 月至次年 1 月），2 为第二学期。",
            example="1",
        ),
        Column(TITLE, "title", example="机器人编程"),
        Column("类型", "kind", choice_parser(CourseKind.choices)),
        Column("学科", "subject", required=False, example="科学"),
        Column("学段", "stages", required=False, example="小学"),
        Column("年级", "grades", required=False, example="4-5年级"),
        Column("容量", "capacity", parse_int, hint="可招收的学生人数。", example=30),
        Column(
            SLOTS,
            "slots",
            _list_cell(parse_slots, SLOTS),
            required=False,
            hint="星期加节次，多个用 ; 分隔，如 Mon3;Thu3 或 周一3；周四3。",
            example="Wed7",
        ),
        Column(
            SESSIONS,
            "sessions",
            _list_cell(parse_sessions, SESSIONS),
            required=False,
            hint="没有每周时段的课程（如研学实践）填写日期，多个用 ; 分隔。",
            example="",
        ),
        Column("教师", "teacher", required=False, example="王老师"),
        Column("地点", "place", required=False, example="创新实验室"),
        Column("备注", "note", required=False, example=""),
    ],
    build=_course,
    reference=_schools_sheet,
    notes=[
        "按开课学校、学区或集团、学年、学期和课程名称查找课程：已有的更新，没有的新建。",
        "开课学校须是本单位可编辑的学校，且在该学期是该学区或集团的成员校。",
        "再次导入同一文件不作任何改动。",
    ],
)


# Applications ----------------------------------------------------------------------------------------------------


def _application(actor: Any, values: dict[str, Any]) -> tuple[Student, bool, CourseApplication] | None:
    school = remembered(
        ("school", values["school"]), lambda: _editable_school(actor, values["school"], STUDENT_SCHOOL)
    )
    course, round_ = remembered(("course", values["course"]), lambda: _course_in_open_round(values["course"]))
    number = values["student_number"]
    if not first_in_file(("choice", number, course.pk)):
        raise RowProblem(COURSE, _("An earlier row of this file gives the same choice."))
    if not first_in_file(("rank", number, round_.pk, values["rank"])):
        raise RowProblem(RANK, _("An earlier row of this file gives this student's choice of this rank."))
    # One instance per student for the whole file, so that a new student's rows all name the one record saved.
    student: Student = remembered(
        ("student", number),
        lambda: (
            Student.objects.filter(student_number=number).first()
            or Student(student_number=number, name=values["name"], school=school)
        ),
    )
    if student.school_id != school.pk:
        raise RowProblem(
            NUMBER, _("The student numbered %(number)s is of another school.") % {"number": number}
        )
    changed = first_in_file(("student", number)) and (student.pk is None or student.name != values["name"])
    student.name = values["name"]
    application = None
    if student.pk:
        application = CourseApplication.objects.filter(round=round_, student=student, course=course).first()
    if application is None:
        application = CourseApplication(round=round_, course=course, rank=values["rank"])
    elif application.rank == values["rank"] and not changed:
        return None  # already as the row says
    application.rank = values["rank"]
    return student, changed, application


def _course_in_open_round(code: str) -> tuple[SharedCourse, EnrolmentRound]:
    course = (
        SharedCourse.objects.filter(pk=int(code[1:])).first()
        if code[:1] in "Cc" and code[1:].isdigit()
        else None
    )
    if course is None:
        raise RowProblem(
            COURSE, _("No shared course has the code %(code)s (see the round's page).") % {"code": code}
        )
    rounds = list(
        EnrolmentRound.objects.filter(
            cluster=course.cluster_id,
            school_year=course.school_year,
            semester=course.semester,
            status=RoundStatus.OPEN,
        )[:2]
    )
    if len(rounds) != 1:
        raise RowProblem(
            COURSE, _("The course %(code)s is in no round open for applications.") % {"code": code}
        )
    return course, rounds[0]


def _application_writes(actor: Any, built: Any) -> Iterator[Model]:
    if built is None:
        return
    student, changed, application = built
    if changed:
        yield student
    application.student = student
    yield application


def _open_courses_sheet(actor: Any) -> tuple[str, list[list[Any]]]:
    rounds = (
        EnrolmentRound.objects.restrict(actor).filter(status=RoundStatus.OPEN)
        if actor
        else EnrolmentRound.objects.filter(status=RoundStatus.OPEN)
    )
    rows = []
    for round_ in rounds.select_related("cluster")[:50]:
        for course in round_.courses().select_related("school").order_by("pk"):
            rows.append([course.course_code, course.title, course.school.name, str(round_)])
    return "可选课程", [["课程编号", "课程名称", "开课学校", "选课轮次"], *rows]


APPLICATIONS = TabularImport(
    model=CourseApplication,
    kind="course-applications",
    title="选课申请",
    columns=[
        Column(
            NUMBER,
            "student_number",
            hint="学生的学籍号；按学籍号查找学生，没有的新建。",
            example="G310113201500001",
        ),
        Column("学生姓名", "name", example="李同学"),
        Column(
            STUDENT_SCHOOL, "school", hint="学生就读的学校，须是本单位可编辑的学校。", example="月浦中心校"
        ),
        Column(COURSE, "course", hint="见“可选课程”，如 C12。", example="C1"),
        Column(RANK, "rank", parse_int, hint="1 为第一志愿。", example=1),
    ],
    build=_application,
    writes=_application_writes,
    reference=_open_courses_sheet,
    notes=[
        "每行是一名学生的一个志愿；课程所在学区或集团须有正在接受申请的选课轮次。",
        "按学籍号和课程查找申请：已有的更新志愿序号，没有的新建。",
        "学生只以学籍号和姓名出现：本校、录取该生的开课学校和组织选课的学区或集团可见。",
        "再次导入同一文件不作任何改动。",
    ],
)

IMPORTS = register_imports(COURSES, APPLICATIONS)
