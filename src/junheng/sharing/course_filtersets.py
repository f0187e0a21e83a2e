"""One FilterSet per model of shared courses and their enrolment: list page, export and API filter through it."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from junheng.core.filtersets import SearchFilterSet
from junheng.organisations.filtersets import district_filter

from .course_choices import CourseKind, EnrolmentStatus, RoundStatus, SemesterNumber
from .models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student


class SharedCourseFilterSet(SearchFilterSet):
    search_fields = (
        "title__icontains",
        "school__name__icontains",
        "teacher__icontains",
        "subject__icontains",
    )
    district = district_filter("cluster__district")
    cluster = django_filters.NumberFilter(field_name="cluster", label=_("Cluster (id)"))
    school = django_filters.NumberFilter(field_name="school", label=_("Offering school (id)"))
    kind = django_filters.ChoiceFilter(choices=CourseKind.choices, label=_("Kind"))
    school_year = django_filters.NumberFilter(
        field_name="school_year", label=_("School year (starting year)")
    )
    semester = django_filters.ChoiceFilter(choices=SemesterNumber.choices, label=_("Semester"))
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = SharedCourse
        fields = ["q", "district", "cluster", "school", "kind", "school_year", "semester", "is_demo"]


class StudentFilterSet(SearchFilterSet):
    search_fields = ("student_number__icontains", "name__icontains")
    school = django_filters.NumberFilter(field_name="school", label=_("School (id)"))
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = Student
        fields = ["q", "school", "is_demo"]


class EnrolmentRoundFilterSet(SearchFilterSet):
    search_fields = ("title__icontains", "cluster__name__icontains")
    district = district_filter("cluster__district")
    cluster = django_filters.NumberFilter(field_name="cluster", label=_("Cluster (id)"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("Status"))
    school_year = django_filters.NumberFilter(
        field_name="school_year", label=_("School year (starting year)")
    )
    is_demo = django_filters.BooleanFilter(label=_("Demo data"))

    class Meta:
        model = EnrolmentRound
        fields = ["q", "district", "cluster", "status", "school_year", "is_demo"]


class CourseApplicationFilterSet(SearchFilterSet):
    search_fields = (
        "student__student_number__icontains",
        "student__name__icontains",
        "course__title__icontains",
    )
    round = django_filters.NumberFilter(field_name="round", label=_("Enrolment round (id)"))
    course = django_filters.NumberFilter(field_name="course", label=_("Course (id)"))
    school = django_filters.NumberFilter(field_name="student__school", label=_("Student's school (id)"))

    class Meta:
        model = CourseApplication
        fields = ["q", "round", "course", "school"]


class CourseEnrolmentFilterSet(SearchFilterSet):
    search_fields = (
        "student__student_number__icontains",
        "student__name__icontains",
        "course__title__icontains",
    )
    round = django_filters.NumberFilter(field_name="round", label=_("Enrolment round (id)"))
    course = django_filters.NumberFilter(field_name="course", label=_("Course (id)"))
    school = django_filters.NumberFilter(field_name="student__school", label=_("Student's school (id)"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("Status"))

    class Meta:
        model = CourseEnrolment
        fields = ["q", "round", "course", "school", "status"]
