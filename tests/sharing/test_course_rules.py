"""R-D1 in edition S2, at its boundaries, checked by hand: each member school offers at least one shared course a
semester (a school with none), the cluster's shareable courses are at least five (4 vs 5) and more this school
year than the year before (equal vs more)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from junheng.organisations.choices import ModelStatus, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.policy.engine import evaluate
from junheng.policy.models import PolicyEdition
from junheng.policy.rules import FindingData
from junheng.sharing.models import SharedCourse

DISTRICT = "310151"  # 崇明区
MID_SEMESTER = date(2024, 10, 15)  # school year 2024-2025, first semester
SEMESTER_END = date(2025, 1, 31)
YEAR_END = date(2025, 8, 31)


class Courses:
    """A model cluster of two member schools, and courses offered in it."""

    def __init__(self, name: str = "共享课程") -> None:
        district = District.objects.get(code=DISTRICT)
        self.cluster = Cluster.objects.create(
            name=f"{name}集团", kind="group", district=district, model_status=ModelStatus.CREATING
        )
        self.lead = self.school(f"{name}牵头校", Tier.QUALITY)
        self.member = self.school(f"{name}成员校", Tier.WEAKER)
        self.count = 0

    def school(self, name: str, tier: str) -> School:
        school = School.objects.create(name=name, district=self.cluster.district, stage=Stage.PRIMARY)
        ClusterMembership.objects.create(
            cluster=self.cluster, school=school, tier=tier, start_date=date(2023, 9, 1)
        )
        return school

    def offer(self, school: School, n: int, school_year: int = 2024, semester: int = 1) -> None:
        for _ in range(n):
            self.count += 1
            SharedCourse.objects.create(
                school=school,
                cluster=self.cluster,
                school_year=school_year,
                semester=semester,
                title=f"课程{self.count}",
                kind="after_school",
                capacity=30,
                slots=["Wed7"],
            )


def finding(rule: str, subject: Any, as_of: date = MID_SEMESTER) -> FindingData:
    found = [
        f
        for f in evaluate(PolicyEdition.objects.get(code="S2"), as_of, District.objects.get(code=DISTRICT))
        if f.rule == rule and f.subject_id == subject.pk
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.django_db
def test_four_courses_are_short_of_five_and_five_pass() -> None:
    courses = Courses()
    courses.offer(courses.lead, 3)
    courses.offer(courses.member, 1)
    four = finding("R-D1.b", courses.cluster)
    assert (four.status, four.measured["courses"]) == ("at_risk", 4)
    assert four.clause == "S2 二(三)1" and "不低于 5 门" in four.message
    assert finding("R-D1.b", courses.cluster, SEMESTER_END).status == "fail"
    courses.offer(courses.member, 1)
    assert (
        finding("R-D1.b", courses.cluster).status,
        finding("R-D1.b", courses.cluster).measured["courses"],
    ) == ("pass", 5)
    # last semester's courses do not count for this one
    courses.offer(courses.lead, 4, school_year=2023, semester=2)
    assert finding("R-D1.b", courses.cluster).measured["courses"] == 5


@pytest.mark.django_db
def test_a_school_with_no_course_fails_at_the_end_of_the_semester() -> None:
    courses = Courses()
    courses.offer(courses.lead, 5)
    assert finding("R-D1.a", courses.lead).status == "pass"
    none = finding("R-D1.a", courses.member)
    assert none.status == "at_risk"
    assert none.measured == {
        "semester": "2024-2025 第1学期",
        "courses": 0,
        "clusters_short": [courses.cluster.name],
    }
    assert finding("R-D1.a", courses.member, SEMESTER_END).status == "fail"
    courses.offer(courses.member, 1)
    assert finding("R-D1.a", courses.member, SEMESTER_END).status == "pass"


@pytest.mark.django_db
def test_the_courses_grow_only_when_this_year_has_more_than_last() -> None:
    courses = Courses()
    courses.offer(courses.lead, 5, school_year=2023)
    courses.offer(courses.lead, 5, school_year=2024)
    equal = finding("R-D1.c", courses.cluster)
    assert (equal.status, equal.measured["this_year"], equal.measured["last_year"]) == ("at_risk", 5, 5)
    assert finding("R-D1.c", courses.cluster, YEAR_END).status == "fail"
    courses.offer(courses.member, 1, school_year=2024, semester=2)
    assert finding("R-D1.c", courses.cluster, YEAR_END).status == "pass"


@pytest.mark.django_db
def test_the_compliance_command_reports_the_findings(capsys: Any) -> None:
    courses = Courses()
    courses.offer(courses.lead, 4)
    call_command("compliance", "--edition", "S2", "--as-of", MID_SEMESTER.isoformat(), "--district", DISTRICT)
    out = capsys.readouterr().out
    assert "R-D1.b" in out and "R-D1.a" in out and "R-D1.c" in out
