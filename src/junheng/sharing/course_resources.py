"""Shared courses' lists, details, forms, exports and API: courses, students, enrolment rounds with their
published lottery, applications and enrolments."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from junheng.core.resources import REGISTRY, Resource, Section, register

from . import course_api as api
from . import course_filtersets as filtersets
from . import course_forms as forms
from . import (
    course_imports,  # noqa: F401  (registers the sheets for `junheng import` and the worker)
    course_tables,
)
from .allocation import RULE, lottery_key
from .course_services import application_save, rerun_command, round_next_steps
from .models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student


def _courses() -> Any:
    return SharedCourse.objects.select_related("school", "cluster")


def _applications() -> Any:
    return CourseApplication.objects.select_related("round", "student", "course")


def _enrolments() -> Any:
    return CourseEnrolment.objects.select_related("round", "student", "course")


def _section(
    request: Any, name: str, title: Any, rows: Any, add_query: str, exclude: tuple[str, ...]
) -> Section:
    resource = REGISTRY[name]
    table = resource.table(rows[:200], orderable=False, exclude=exclude)
    add_url = (
        f"{reverse(resource.url_prefix + '_add')}?{add_query}"
        if add_query and resource.may_add(request.user)
        else ""
    )
    return Section(title, table, add_url=add_url)


def _course_related(request: Any, course: SharedCourse) -> list[Section]:
    user = request.user
    return [
        _section(
            request,
            "course-enrolments",
            _("Enrolments"),
            _enrolments().restrict(user).filter(course=course),
            "",
            ("course",),
        ),
        _section(
            request,
            "course-applications",
            _("Applications"),
            _applications().restrict(user).filter(course=course),
            "",
            ("course",),
        ),
    ]


def _student_related(request: Any, student: Student) -> list[Section]:
    user = request.user
    return [
        _section(
            request,
            "course-applications",
            _("Applications"),
            _applications().restrict(user).filter(student=student),
            f"student={student.pk}",
            ("student",),
        ),
        _section(
            request,
            "course-enrolments",
            _("Enrolments"),
            _enrolments().restrict(user).filter(student=student),
            "",
            ("student",),
        ),
    ]


class LotteryTable(tables.Table):
    lottery = tables.Column(verbose_name=_("lottery number"))
    key = tables.Column(verbose_name=_("lottery key (SHA-256, first 16 digits)"))
    student = tables.Column(verbose_name=_("student"))
    courses = tables.Column(verbose_name=_("seats"))
    waiting = tables.Column(verbose_name=_("waiting for"))


class RoundCourseTable(tables.Table):
    code = tables.Column(verbose_name=_("code"))
    title = tables.Column(verbose_name=_("title"))
    school = tables.Column(verbose_name=_("offering school"))
    capacity = tables.Column(verbose_name=_("capacity (students)"))
    enrolled = tables.Column(verbose_name=_("enrolled"))
    waiting = tables.Column(verbose_name=_("waiting"))


def _round_related(request: Any, round_: EnrolmentRound) -> list[Section]:
    """The round's courses with their seats, and the published lottery: every number with its key, the students
    the viewer may see named (a cluster mate sees the order, not the other schools' students)."""
    user = request.user
    published = {c["course_id"]: c for c in round_.result.get("courses", [])}
    course_rows = [
        {
            "code": c.course_code,
            "title": c.title,
            "school": c.school.name,
            "capacity": c.capacity,
            "enrolled": published.get(c.course_code, {}).get("enrolled", "—"),
            "waiting": len(published.get(c.course_code, {}).get("waiting", [])) if published else "—",
        }
        for c in round_.courses().select_related("school").order_by("pk")
    ]
    sections = [Section(_("Courses of the round"), RoundCourseTable(course_rows, orderable=False))]
    if round_.result:
        visible = {
            s.student_number: str(s)
            for s in Student.objects.restrict(user).filter(applications__round=round_).distinct()
        }
        seats: dict[str, list[str]] = {}
        for e in _enrolments().restrict(user).filter(round=round_):
            key = "courses" if e.status == "enrolled" else "waiting" if e.status == "waiting" else ""
            if key:
                seats.setdefault(f"{e.student.student_number}:{key}", []).append(e.course.title)
        lottery_rows = [
            {
                "lottery": number,
                "key": lottery_key(round_.seed, student)[:16],
                "student": visible.get(student, "—"),
                "courses": "；".join(seats.get(f"{student}:courses", [])) or "—",
                "waiting": "；".join(seats.get(f"{student}:waiting", [])) or "—",
            }
            for number, student in enumerate(round_.result.get("lottery_order", []), start=1)
        ]
        sections.append(
            Section(
                _("The lottery"),
                LotteryTable(lottery_rows, orderable=False),
                include="sharing/courses/lottery_note.html",
                data={"rule": RULE, "command": rerun_command(round_)},
            )
        )
    sections.append(
        _section(
            request,
            "course-applications",
            _("Applications"),
            _applications().restrict(user).filter(round=round_),
            f"round={round_.pk}",
            ("round",),
        )
    )
    return sections


def _round_context(request: Any, round_: EnrolmentRound) -> dict[str, Any]:
    from .course_views import sees_every_application

    return {
        "next_steps": round_next_steps(request.user, round_),
        "offers_files": sees_every_application(request.user, round_),
    }


def _enrolment_context(request: Any, enrolment: CourseEnrolment) -> dict[str, Any]:
    from junheng.core.choices import Action
    from junheng.core.scope import can

    return {"may_withdraw": enrolment.status == "enrolled" and can(request.user, Action.CHANGE, enrolment)}


register(
    Resource(
        name="shared-courses",
        model=SharedCourse,
        queryset=_courses,
        filterset=filtersets.SharedCourseFilterSet,
        table=course_tables.SharedCourseTable,
        schema=api.SharedCourseOut,
        form=forms.SharedCourseForm,
        related=_course_related,
        import_url=reverse_lazy("sharing:course_import", args=["shared-courses"]),
    )
)
register(
    Resource(
        name="students",
        model=Student,
        queryset=lambda: Student.objects.select_related("school"),
        filterset=filtersets.StudentFilterSet,
        table=course_tables.StudentTable,
        schema=api.StudentOut,
        form=forms.StudentForm,
        related=_student_related,
    )
)
register(
    Resource(
        name="enrolment-rounds",
        model=EnrolmentRound,
        queryset=lambda: EnrolmentRound.objects.select_related("cluster"),
        filterset=filtersets.EnrolmentRoundFilterSet,
        table=course_tables.EnrolmentRoundTable,
        schema=api.EnrolmentRoundOut,
        form=forms.EnrolmentRoundForm,
        extra_detail_fields=["status", "allocated_at"],
        related=_round_related,
        detail_actions_template="sharing/courses/round_actions.html",
        detail_context=_round_context,
    )
)
register(
    Resource(
        name="course-applications",
        model=CourseApplication,
        queryset=_applications,
        filterset=filtersets.CourseApplicationFilterSet,
        table=course_tables.CourseApplicationTable,
        schema=api.CourseApplicationOut,
        form=forms.CourseApplicationForm,
        save=application_save,
        import_url=reverse_lazy("sharing:course_import", args=["course-applications"]),
    )
)
register(
    Resource(
        name="course-enrolments",
        model=CourseEnrolment,
        queryset=_enrolments,
        filterset=filtersets.CourseEnrolmentFilterSet,
        table=course_tables.CourseEnrolmentTable,
        schema=api.CourseEnrolmentOut,
        extra_detail_fields=["round", "student", "course", "status", "lottery", "waiting_place"],
        detail_actions_template="sharing/courses/enrolment_actions.html",
        detail_context=_enrolment_context,
    )
)
