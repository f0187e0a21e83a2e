"""The tables of shared courses and their enrolment."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.links import VisibleLinkColumn
from junheng.core.records import RecordTable
from junheng.organisations.tables import DemoMarkColumn

from .models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student


class SharedCourseTable(tables.Table):
    title = tables.Column(linkify=True)
    school = VisibleLinkColumn(order_by=("school__name",))
    cluster = VisibleLinkColumn(order_by=("cluster__name",))
    slots = tables.Column(verbose_name=_("weekly slots"), orderable=False)
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = SharedCourse
        fields = (
            "title",
            "school",
            "cluster",
            "school_year",
            "semester",
            "kind",
            "capacity",
            "slots",
            "teacher",
            "is_demo",
        )

    def render_slots(self, value: list[str]) -> str:
        return ";".join(value)


class StudentTable(tables.Table):
    student_number = tables.Column(linkify=True)
    school = VisibleLinkColumn(order_by=("school__name",))

    class Meta:
        model = Student
        fields = ("student_number", "name", "school")


class EnrolmentRoundTable(tables.Table):
    title = tables.Column(linkify=True)
    cluster = VisibleLinkColumn(order_by=("cluster__name",))
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = EnrolmentRound
        fields = (
            "title",
            "cluster",
            "school_year",
            "semester",
            "opens_on",
            "closes_on",
            "max_per_student",
            "seed",
            "status",
            "is_demo",
        )


class CourseApplicationTable(RecordTable):
    student = VisibleLinkColumn(order_by=("student__student_number",))
    course = VisibleLinkColumn(order_by=("course__title",))
    round = VisibleLinkColumn(order_by=("round__title",))

    class Meta:
        model = CourseApplication
        fields = ("record", "round", "student", "course", "rank")


class CourseEnrolmentTable(RecordTable):
    student = VisibleLinkColumn(order_by=("student__student_number",))
    course = VisibleLinkColumn(order_by=("course__title",))
    round = VisibleLinkColumn(order_by=("round__title",))

    class Meta:
        model = CourseEnrolment
        fields = ("record", "round", "student", "course", "status", "lottery", "waiting_place")
