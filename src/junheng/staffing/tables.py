"""The tables of teacher flow's lists, exports and detail pages."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from junheng.core.links import VisibleLinkColumn
from junheng.core.records import RecordTable
from junheng.organisations.tables import DemoMarkColumn

from .choices import duty_names
from .models import EligibilityExclusion, Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher


class DutiesColumn(tables.Column):
    def render(self, value: Any) -> str:
        return duty_names(value)

    def value(self, value: Any) -> str:
        return duty_names(value or [])


class TeacherTable(tables.Table):
    name = tables.Column(linkify=True)
    employer = VisibleLinkColumn(order_by=("employer__name",))
    is_demo = DemoMarkColumn(verbose_name=_("data"))

    class Meta:
        model = Teacher
        fields = (
            "name",
            "staff_number",
            "employer",
            "stage",
            "subject",
            "backbone_tier",
            "cadre",
            "title",
            "employed_since",
            "is_demo",
        )


class TeacherRecordTable(RecordTable):
    """A record about one teacher: the teacher's name as the link to the teacher."""

    teacher = VisibleLinkColumn(order_by=("teacher__name",))


class EmploymentTable(TeacherRecordTable):
    school = VisibleLinkColumn(order_by=("school__name",))

    class Meta:
        model = Employment
        fields = ("record", "teacher", "school", "start_date", "end_date")


class EligibilityExclusionTable(TeacherRecordTable):
    class Meta:
        model = EligibilityExclusion
        fields = ("record", "teacher", "school_year", "reason")


class RotationTable(TeacherRecordTable):
    from_school = VisibleLinkColumn(order_by=("from_school__name",))
    host = VisibleLinkColumn(order_by=("host__name",))
    duties = DutiesColumn(orderable=False)

    class Meta:
        model = Rotation
        fields = (
            "record",
            "teacher",
            "kind",
            "from_school",
            "host",
            "start_date",
            "planned_end",
            "actual_end",
            "status",
            "duties",
            "team",
        )


class RotationAppraisalTable(RecordTable):
    rotation = VisibleLinkColumn(order_by=("rotation__teacher__name",))

    class Meta:
        model = RotationAppraisal
        fields = ("record", "rotation", "school_year", "rating", "appraised_on", "note")


class StaffingPlanTable(RecordTable):
    cluster = VisibleLinkColumn(order_by=("cluster__name",))

    class Meta:
        model = StaffingPlan
        fields = (
            "record",
            "cluster",
            "school_year",
            "covers_recruitment",
            "covers_flow",
            "covers_titles",
            "covers_performance_pay",
            "filed_on",
        )


class EligibilitySummaryTable(tables.Table):
    """A school's rotation eligibility in a school year, on the school's page, linked to the eligibility page."""

    school_year = tables.Column(verbose_name=_("School year"), linkify=lambda record: record["url"])
    eligible = tables.Column(verbose_name=_("Rotation-eligible teachers"))
    excluded = tables.Column(verbose_name=_("Marked not eligible"))
    years = tables.Column(verbose_name=_("Continuous years that make a teacher eligible"))
