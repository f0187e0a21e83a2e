"""Joint research in every subject each semester (R-D5) and new teachers' probation (R-D7), at their boundaries,
counted by hand: 4 activities of a subject against 5, a subject with none, the stages' default subjects against a
cluster's own list; a probation at the lead school, at the teacher-development school and elsewhere."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from junheng.organisations.choices import ModelStatus, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.policy.engine import evaluate
from junheng.policy.models import PolicyEdition
from junheng.policy.rules import FindingData
from junheng.policy.rules.wording import measured_lines
from junheng.sharing.models import ClusterResearchSetting, NewTeacherProbation, ResearchActivity
from junheng.sharing.research_choices import JUNIOR_SUBJECTS, PRIMARY_SUBJECTS, default_subjects
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db

DISTRICT = "310151"  # 崇明区
SEMESTER_END = date(2025, 1, 31)  # the last day of semester 1 of 2024-2025
MID_SEMESTER = date(2024, 12, 1)  # past its middle (1 September – 31 January)
EARLY = date(2024, 10, 1)  # in its first half


class Research:
    """A model cluster of a primary lead school and a junior-secondary member."""

    def __init__(self, name: str = "教研规则", status: str = ModelStatus.CREATING) -> None:
        district = District.objects.get(code=DISTRICT)
        self.lead = School.objects.create(name=f"{name}小学", district=district, stage=Stage.PRIMARY)
        self.member = School.objects.create(name=f"{name}中学", district=district, stage=Stage.JUNIOR)
        self.cluster = Cluster.objects.create(
            name=f"{name}集团", kind="group", district=district, model_status=status, lead_school=self.lead
        )
        for school, tier in ((self.lead, Tier.QUALITY), (self.member, Tier.WEAKER)):
            ClusterMembership.objects.create(
                cluster=self.cluster, school=school, tier=tier, start_date=date(2023, 9, 1)
            )

    def activities(self, subjects: str, count: int, kind: str = "joint_research", day: int = 1) -> None:
        for number in range(count):
            ResearchActivity.objects.create(
                cluster=self.cluster,
                kind=kind,
                subjects=subjects,
                theme=f"{subjects}{kind}{number}",
                date=date(2024, 9 + number % 4, day + number // 4),
            )

    def all_subjects(self, count: int = 5, *, but: tuple[str, ...] = ()) -> None:
        for subject in default_subjects([Stage.PRIMARY, Stage.JUNIOR]):
            if subject not in but:
                self.activities(subject, count)


def finding(rule: str, cluster: Cluster, as_of: date) -> FindingData:
    found = [
        f
        for f in evaluate(PolicyEdition.objects.get(code="S2"), as_of, District.objects.get(code=DISTRICT))
        if f.rule == rule and f.subject_id == cluster.pk
    ]
    assert len(found) == 1, found
    return found[0]


def test_the_default_subjects_are_those_of_the_stages() -> None:
    assert default_subjects([Stage.PRIMARY]) == list(PRIMARY_SUBJECTS)
    assert sorted(default_subjects([Stage.JUNIOR])) == sorted(JUNIOR_SUBJECTS)
    both = default_subjects([Stage.PRIMARY, Stage.JUNIOR])
    assert len(both) == 15 and set(both) == set(PRIMARY_SUBJECTS) | set(JUNIOR_SUBJECTS)
    assert default_subjects([Stage.NINE_YEAR]) == both
    assert default_subjects([Stage.SPECIAL, ""]) == []


@pytest.mark.parametrize(("maths", "status"), [(5, "pass"), (4, "fail")])
def test_five_a_subject_pass_and_four_fail_on_the_semester_s_last_day(maths: int, status: str) -> None:
    research = Research()
    research.all_subjects(but=("数学",))
    research.activities("数学", maths)
    found = finding("R-D5", research.cluster, SEMESTER_END)
    assert found.status == status
    assert found.measured["counts"]["数学"] == maths
    assert found.measured["counts"]["语文"] == 5
    assert found.measured["short"] == ([] if maths == 5 else ["数学"])
    assert found.measured["semester"] == "2024-2025 第1学期"
    assert found.clause == "S2 二(三)2"


def test_a_subject_with_none_is_short_at_risk_from_mid_semester_and_not_due_before() -> None:
    research = Research()
    research.all_subjects(but=("历史",))
    late = finding("R-D5", research.cluster, MID_SEMESTER)
    assert late.status == "at_risk" and late.measured["short"] == ["历史"]
    assert late.measured["counts"]["历史"] == 0
    assert finding("R-D5", research.cluster, SEMESTER_END).status == "fail"
    assert finding("R-D5", research.cluster, EARLY).status == "not_due"


def test_the_cluster_s_own_list_replaces_the_default() -> None:
    research = Research()
    research.activities("语文", 5)
    research.activities("数学、外语", 5)  # one activity counts for each subject it names
    assert finding("R-D5", research.cluster, SEMESTER_END).status == "fail"  # 12 default subjects have none
    ClusterResearchSetting.objects.create(cluster=research.cluster, subjects="语文、数学、英语")
    found = finding("R-D5", research.cluster, SEMESTER_END)
    assert found.status == "pass"
    assert found.measured["counts"] == {"语文": 5, "数学": 5, "外语": 5}  # 英语 is read as 外语
    assert found.measured["subjects_from"] == "cluster"
    lines = " ".join(measured_lines("R-D5", found.measured))
    assert "数学" in lines


def test_only_the_themed_activities_count_and_only_in_the_semester() -> None:
    research = Research()
    ClusterResearchSetting.objects.create(cluster=research.cluster, subjects="数学")
    research.activities("数学", 4)
    research.activities("数学", 3, kind="cross_disciplinary", day=20)  # a project: recorded, not counted
    ResearchActivity.objects.create(
        cluster=research.cluster,
        kind="lesson_preparation",
        subjects="数学",
        theme="上学期",
        date=date(2024, 8, 31),
    )
    assert finding("R-D5", research.cluster, SEMESTER_END).measured["counts"] == {"数学": 4}
    ResearchActivity.objects.create(
        cluster=research.cluster,
        kind="teaching_contest",
        subjects="数学",
        theme="比武",
        date=date(2025, 1, 31),
    )
    assert finding("R-D5", research.cluster, SEMESTER_END).status == "pass"


def test_clusters_without_model_status_are_not_checked() -> None:
    research = Research(status=ModelStatus.NONE)
    findings = evaluate(
        PolicyEdition.objects.get(code="S2"), SEMESTER_END, District.objects.get(code=DISTRICT)
    )
    assert not [f for f in findings if f.subject_id == research.cluster.pk and f.rule.startswith("R-D")]


# R-D7 ------------------------------------------------------------------------------------------------------------


def probation(research: Research, school: School, name: str, start: date = date(2024, 9, 1)) -> None:
    NewTeacherProbation.objects.create(
        cluster=research.cluster,
        name=name,
        staff_number=f"N-{name}",
        probation_school=school,
        start_date=start,
    )


def test_probation_at_the_lead_school_passes_and_elsewhere_fails() -> None:
    research = Research()
    probation(research, research.lead, "甲")
    assert finding("R-D7", research.cluster, EARLY).status == "pass"
    probation(research, research.member, "乙")
    found = finding("R-D7", research.cluster, EARLY)
    assert found.status == "fail"
    assert found.measured["new_teachers"] == 2
    assert found.measured["elsewhere"] == [f"乙（N-乙）：{research.member.name}"]
    assert found.measured["allowed_schools"] == [research.lead.name]


def test_the_teacher_development_school_is_allowed_once_named() -> None:
    research = Research()
    probation(research, research.member, "乙")
    assert finding("R-D7", research.cluster, EARLY).status == "fail"
    ClusterResearchSetting.objects.create(
        cluster=research.cluster, teacher_development_school=research.member
    )
    found = finding("R-D7", research.cluster, EARLY)
    assert found.status == "pass"
    assert found.measured["allowed_schools"] == [research.lead.name, research.member.name]


def test_a_register_teacher_is_named_from_the_register_and_ended_probations_are_not_judged() -> None:
    research = Research()
    teacher = Teacher.objects.create(
        name="丙老师", staff_number="CM-9", employer=research.member, employed_since=date(2024, 9, 1)
    )
    record = NewTeacherProbation(
        cluster=research.cluster,
        teacher=teacher,
        probation_school=research.member,
        start_date=date(2024, 9, 1),
    )
    record.full_clean()
    record.save()
    assert (record.name, record.staff_number) == ("丙老师", "CM-9")
    assert finding("R-D7", research.cluster, EARLY).measured["elsewhere"] == [
        f"丙老师（CM-9）：{research.member.name}"
    ]
    record.end_date = date(2024, 8, 31)  # before the semester
    record.start_date = date(2023, 9, 1)
    record.save()
    findings = evaluate(PolicyEdition.objects.get(code="S2"), EARLY, District.objects.get(code=DISTRICT))
    assert not [f for f in findings if f.rule == "R-D7" and f.subject_id == research.cluster.pk]


def test_nothing_to_judge_without_new_teachers(django_assert_max_num_queries: Any) -> None:
    research = Research()
    findings = evaluate(PolicyEdition.objects.get(code="S2"), EARLY, District.objects.get(code=DISTRICT))
    assert not [f for f in findings if f.rule == "R-D7" and f.subject_id == research.cluster.pk]
