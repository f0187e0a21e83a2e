"""Teacher flow in the model clusters (S2 二(二)): the quality schools' quota into weaker schools at its boundaries,
the backbone share, the three-year term, team inflow, exam-scored subjects, the receiving school's appraisal,
duties on return and the staffing plans — each status where it begins — read in a fixed number of queries."""

from __future__ import annotations

import json
import math
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from junheng.core.editions import ThresholdValue
from junheng.core.periods import SchoolYear
from junheng.evaluation.models import ClusterResult
from junheng.organisations.choices import ModelStatus, Role, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.policy.engine import evaluate
from junheng.policy.models import PolicyEdition, Threshold
from junheng.policy.rules import CATALOG, Context, FindingData
from junheng.policy.rules.wording import measured_lines, threshold_lines
from junheng.staffing.models import Employment, Rotation, RotationAppraisal, StaffingPlan, Teacher

DISTRICT = "310151"  # 崇明区
OCTOBER = date(2024, 10, 15)  # early in school year 2024-2025
YEAR_END = date(2025, 8, 31)


@pytest.fixture
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


class Flow:
    """A model cluster of the test district: one quality school, a weaker junior-secondary and a weaker primary
    school, and the helpers that staff them and move their teachers."""

    def __init__(self, name: str = "轮岗规则", status: str = ModelStatus.CREATING) -> None:
        self.district = District.objects.get(code=DISTRICT)
        self.numbers = iter(range(1, 10**6))
        self.cluster = Cluster.objects.create(
            name=f"{name}集团", kind="group", district=self.district, model_status=status
        )
        self.quality = self.school(f"{name}优质校", Stage.JUNIOR, Tier.QUALITY)
        self.weaker = self.school(f"{name}薄弱初中", Stage.JUNIOR, Tier.WEAKER)
        self.weaker_primary = self.school(f"{name}薄弱小学", Stage.PRIMARY, Tier.WEAKER)
        self.name = name

    def school(self, name: str, stage: str, tier: str) -> School:
        school = School.objects.create(name=name, district=self.district, stage=stage)
        ClusterMembership.objects.create(
            cluster=self.cluster, school=school, tier=tier, start_date=date(2023, 9, 1)
        )
        return school

    def staff(
        self, school: School, count: int, since: date = date(2010, 9, 1), **fields: Any
    ) -> list[Teacher]:
        teachers = []
        for _ in range(count):
            number = next(self.numbers)
            teacher = Teacher.objects.create(
                name=f"{self.name}教师{number}",
                staff_number=f"{self.name}-{school.pk}-{number}",
                employer=school,
                employed_since=since,
                **fields,
            )
            Employment.objects.create(teacher=teacher, school=school, start_date=since)
            teachers.append(teacher)
        return teachers

    def rotate(
        self,
        teacher: Teacher,
        host: School,
        start: date = date(2024, 9, 1),
        planned_end: date | None = None,
        **fields: Any,
    ) -> Rotation:
        defaults = {"kind": "exchange", "status": "in_progress"}
        return Rotation.objects.create(
            teacher=teacher,
            from_school=teacher.employer,
            host=host,
            start_date=start,
            planned_end=planned_end or start.replace(year=start.year + 3),
            **{**defaults, **fields},
        )


def finding(rule: str, subject: Any, as_of: date = OCTOBER) -> FindingData:
    found = [
        f
        for f in evaluate(PolicyEdition.objects.get(code="S2"), as_of, District.objects.get(code=DISTRICT))
        if f.rule == rule and f.subject_id == subject.pk
    ]
    assert len(found) == 1, found
    return found[0]


def no_finding(rule: str, subject: Any, as_of: date = OCTOBER) -> bool:
    findings = evaluate(PolicyEdition.objects.get(code="S2"), as_of, District.objects.get(code=DISTRICT))
    return not [f for f in findings if f.rule == rule and f.subject_id == subject.pk]


# R-C2.a: the quota -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("eligible", "sent", "required", "status"),
    [
        (10, 2, 2, "pass"),
        (10, 1, 2, "at_risk"),
        (9, 2, 2, "pass"),
        (9, 1, 2, "at_risk"),
        (5, 1, 1, "pass"),
        (5, 0, 1, "at_risk"),
        (0, 0, 0, "not_due"),
    ],
)
def test_the_quota_is_a_fifth_of_the_eligible_rounded_up(
    eligible: int, sent: int, required: int, status: str
) -> None:
    flow = Flow()
    teachers = flow.staff(flow.quality, eligible)
    flow.staff(flow.quality, 4, since=date(2019, 9, 2))  # five years on 1 September 2024: not eligible
    for teacher in teachers[:sent]:
        flow.rotate(teacher, flow.weaker)
    found = finding("R-C2.a", flow.quality)
    assert found.measured == {
        "school_year": "2024-2025",
        "eligible": eligible,
        "required": required,
        "sent": sent,
    }
    assert (found.status, found.subject_type, found.clause) == (status, "school", "S2 二(二)1")


@pytest.mark.django_db
def test_a_quota_short_on_the_last_day_of_the_year_fails_and_a_school_without_teachers_has_no_data() -> None:
    flow = Flow()
    flow.rotate(flow.staff(flow.quality, 10)[0], flow.weaker)
    assert finding("R-C2.a", flow.quality, YEAR_END).status == "fail"
    assert finding("R-C2.a", flow.quality, date(2025, 8, 30)).status == "at_risk"
    empty = Flow("无教师")
    assert finding("R-C2.a", empty.quality).status == "no_data"


@pytest.mark.django_db
def test_only_filed_inflow_into_a_weaker_school_of_the_same_cluster_counts() -> None:
    flow = Flow()
    other = Flow("另一")
    teachers = flow.staff(flow.quality, 10)
    flow.rotate(teachers[0], flow.weaker_primary)  # counts
    flow.rotate(teachers[1], other.weaker)  # a weaker school of another cluster
    flow.rotate(teachers[2], flow.weaker, status="agreed")  # not yet filed with the district
    flow.rotate(teachers[3], flow.weaker, kind="mentoring")  # not an inflow kind
    flow.rotate(teachers[4], flow.weaker, start=date(2023, 9, 1))  # last school year's
    assert finding("R-C2.a", flow.quality).measured["sent"] == 1


@pytest.mark.django_db
def test_clusters_without_model_status_are_not_checked() -> None:
    flow = Flow("普通", status=ModelStatus.NONE)
    flow.staff(flow.quality, 10)
    assert no_finding("R-C2.a", flow.quality) and no_finding("R-C8", flow.cluster)
    accredited = Flow("已认定", status=ModelStatus.ACCREDITED)
    accredited.staff(accredited.quality, 10)
    assert finding("R-C2.a", accredited.quality).measured["required"] == 2


class FakeSchool:
    pk, district_id = 1, None

    def __str__(self) -> str:
        return "甲校"


class FakeFlow:
    """The facts R-C2.a reads, without a database: one quality school with `eligible` teachers and `sent` sent."""

    def __init__(self, eligible: int, sent: int) -> None:
        self.school, self.as_of, self.school_year, self.staffed = FakeSchool(), OCTOBER, SchoolYear(2024), {1}
        self.eligible, self.rotations = eligible, [SimpleNamespace(teacher_id=n) for n in range(sent)]

    def members(self, tier: str) -> list[Any]:
        return [self.school]

    def eligible_counts(self, years: int) -> dict[int, int]:
        return {1: self.eligible}

    def out_of(self, school_id: int) -> list[Any]:
        return self.rotations

    def starts_in_year(self, rotation: Any) -> bool:
        return True

    def is_cluster_inflow(self, rotation: Any) -> bool:
        return True


@given(
    st.integers(1, 400),
    st.integers(0, 400),
    st.decimals(min_value="0.01", max_value="1", places=4, allow_nan=False, allow_infinity=False),
)
def test_required_is_the_exact_ceiling_and_the_quota_passes_iff_enough_are_sent(
    eligible: int, sent: int, share: Any
) -> None:
    keys = {
        "R-C2.rotation_share": ThresholdValue("R-C2.rotation_share", share, "gte", "", "S2 二(二)1", ""),
        "R-C1.rotation_eligible_years": ThresholdValue(
            "R-C1.rotation_eligible_years", 6, "gte", "年", "", ""
        ),
    }
    context = Context(as_of=OCTOBER, thresholds=keys, rounds=[], pairings=[], events=[], districts=[])
    context.cluster_flow = FakeFlow(eligible, sent)
    [found] = CATALOG["R-C2.a"].evaluate(context)
    required = math.ceil(Fraction(str(share)) * eligible)
    assert found.measured["required"] == required
    assert (found.status == "pass") == (sent >= required)


# R-C2.b: backbone teachers among those sent ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("backbone", "status"), [(3, "pass"), (2, "at_risk")])
def test_backbone_teachers_are_thirty_percent_of_those_sent_rounded_up(backbone: int, status: str) -> None:
    flow = Flow()
    sent = flow.staff(flow.quality, backbone, backbone_tier="district_leader")
    sent += flow.staff(flow.quality, 7 - backbone)
    for teacher in sent:
        flow.rotate(teacher, flow.weaker)
    found = finding("R-C2.b", flow.quality)
    assert found.measured == {"school_year": "2024-2025", "sent": 7, "backbone": backbone, "required": 3}
    assert found.status == status


@pytest.mark.django_db
def test_no_one_sent_leaves_the_backbone_share_not_due() -> None:
    flow = Flow()
    flow.staff(flow.quality, 10)
    assert finding("R-C2.b", flow.quality).status == "not_due"
    assert finding("R-C2.b", flow.quality, YEAR_END).status == "not_due"  # R-C2.a fails for it
    assert finding("R-C2.a", flow.quality, YEAR_END).status == "fail"


# R-C2.c: the three-year term ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rotation_planned_for_a_day_less_than_three_years_fails_naming_its_teacher() -> None:
    flow = Flow()
    full, short = flow.staff(flow.quality, 2)
    flow.rotate(full, flow.weaker, planned_end=date(2027, 8, 31))
    flow.rotate(short, flow.weaker_primary, planned_end=date(2027, 8, 30))
    found = finding("R-C2.c", flow.quality)
    assert found.status == "fail" and found.measured["rotations"] == 2
    assert found.measured["planned_short"] == [f"{short.name}（{short.staff_number}）"]
    assert short.name in found.message and full.name not in found.message


@pytest.mark.django_db
def test_three_years_planned_pass_and_nothing_sent_is_not_due() -> None:
    flow = Flow()
    flow.rotate(flow.staff(flow.quality, 1)[0], flow.weaker, planned_end=date(2027, 8, 31))
    assert finding("R-C2.c", flow.quality).status == "pass"
    idle = Flow("未派出")
    idle.staff(idle.quality, 5)
    assert finding("R-C2.c", idle.quality).status == "not_due"


@pytest.mark.django_db
def test_a_rotation_of_an_earlier_year_ended_early_fails_this_year_with_its_teacher() -> None:
    flow = Flow()
    teacher = flow.staff(flow.quality, 1)[0]
    flow.rotate(
        teacher,
        flow.weaker,
        start=date(2023, 9, 1),
        actual_end=date(2024, 12, 31),
        end_reason="家庭原因",
        status="ended",
    )
    before = finding("R-C2.c", flow.quality, date(2024, 11, 1))
    assert before.status == "at_risk" and before.measured["ending_early"] == [
        f"{teacher.name}（{teacher.staff_number}） 2024-12-31"
    ]
    after = finding("R-C2.c", flow.quality, date(2025, 1, 15))
    assert after.status == "fail" and after.measured["ended_early"] == before.measured["ending_early"]
    assert teacher.name in after.message


# R-C4: team inflow ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_team_of_three_starting_in_one_semester_passes_and_of_two_is_at_risk_then_fails() -> None:
    flow = Flow()
    three = flow.staff(flow.quality, 3)
    two = flow.staff(flow.quality, 2)
    for teacher in three:
        flow.rotate(teacher, flow.weaker, kind="team_inflow", team="数学组")
    for teacher in two:
        flow.rotate(teacher, flow.weaker_primary, kind="team_inflow", team="语文组", start=date(2024, 9, 2))
    assert finding("R-C4", flow.weaker).status == "pass"
    assert finding("R-C4", flow.weaker).measured["teams"] == {
        "数学组": {"semester": "2024-2025 第1学期", "teachers": 3}
    }
    assert finding("R-C4", flow.weaker_primary, date(2025, 1, 31)).status == "at_risk"
    failed = finding("R-C4", flow.weaker_primary, date(2025, 2, 1))
    assert failed.status == "fail" and failed.measured["short"] == ["语文组"]
    assert failed.subject_type == "school"


@pytest.mark.django_db
def test_a_team_split_across_semesters_falls_short() -> None:
    flow = Flow()
    first, second, third = flow.staff(flow.quality, 3)
    flow.rotate(first, flow.weaker, kind="team_inflow", team="英语组")
    flow.rotate(second, flow.weaker, kind="team_inflow", team="英语组")
    flow.rotate(third, flow.weaker, kind="team_inflow", team="英语组", start=date(2025, 2, 10))
    found = finding("R-C4", flow.weaker, date(2025, 3, 1))
    assert found.status == "fail"
    assert found.measured["teams"]["英语组"] == {"semester": "2024-2025 第1学期", "teachers": 2}
    assert no_finding("R-C4", flow.weaker_primary)  # no team came: team inflow is as needed


# R-C5: exam-scored subjects ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inflow_into_a_weaker_junior_school_without_a_scored_subject_fails() -> None:
    flow = Flow()
    music, art = flow.staff(flow.quality, 2, subject="音乐")
    flow.rotate(music, flow.weaker)
    flow.rotate(art, flow.weaker, subjects="美术")
    found = finding("R-C5", flow.weaker)
    assert found.status == "fail"
    assert found.measured == {
        "school_year": "2024-2025",
        "inflow": 2,
        "scored": 0,
        "scored_share": 0.0,
        "subjects_covered": [],
    }


@pytest.mark.django_db
def test_some_scored_subjects_pass_with_their_share_and_names() -> None:
    flow = Flow()
    teachers = flow.staff(flow.quality, 4, subject="音乐")
    flow.rotate(teachers[0], flow.weaker, subjects="数学")
    flow.rotate(teachers[1], flow.weaker, subjects="英语、美术")  # 英语 is the exam's 外语
    flow.rotate(teachers[2], flow.weaker)
    flow.rotate(teachers[3], flow.weaker_primary, subjects="语文")
    found = finding("R-C5", flow.weaker)
    assert found.status == "pass"
    assert (found.measured["inflow"], found.measured["scored"]) == (3, 2)
    assert found.measured["scored_share"] == pytest.approx(2 / 3)
    assert found.measured["subjects_covered"] == ["数学", "外语"]
    assert no_finding("R-C5", flow.weaker_primary)  # a primary school has no exam-scored subjects
    idle = Flow("无流入")
    assert finding("R-C5", idle.weaker).status == "not_due"


# R-C6: the receiving school's appraisal ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_appraisal_is_due_by_31_august_and_missing_after_it_fails() -> None:
    flow = Flow()
    rotation = flow.rotate(flow.staff(flow.quality, 1)[0], flow.weaker)
    assert finding("R-C6", flow.weaker, date(2025, 3, 1)).status == "not_due"
    soon = finding("R-C6", flow.weaker, date(2025, 7, 15))
    assert soon.status == "at_risk" and soon.measured["due"] == 1
    overdue = finding("R-C6", flow.weaker, date(2025, 9, 15))
    assert overdue.status == "fail"
    assert overdue.measured["missing"] == [
        f"{rotation.teacher.name}（{rotation.teacher.staff_number}） 2024-2025"
    ]
    RotationAppraisal.objects.create(
        rotation=rotation, school_year=2024, rating="good", appraised_on=date(2025, 7, 1)
    )
    assert finding("R-C6", flow.weaker, date(2025, 7, 15)).status == "pass"
    assert finding("R-C6", flow.weaker, date(2025, 9, 15)).status == "pass"  # 2025-2026 not yet due


# R-C7: duties on return ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_teacher_back_and_rated_good_without_a_duty_is_at_risk_then_fails() -> None:
    flow = Flow()
    teacher = flow.staff(flow.weaker, 1)[0]
    rotation = flow.rotate(
        teacher, flow.quality, kind="secondment", planned_end=date(2025, 1, 20), status="ended"
    )
    RotationAppraisal.objects.create(
        rotation=rotation, school_year=2024, rating="excellent", appraised_on=date(2025, 1, 15)
    )
    waiting = finding("R-C7", flow.weaker, date(2025, 3, 1))
    assert waiting.status == "at_risk"
    assert waiting.measured["without_duty"] == [f"{teacher.name}（{teacher.staff_number}） 2025-08-31"]
    assert finding("R-C7", flow.weaker, date(2025, 9, 1)).status == "fail"
    rotation.return_duty, rotation.return_duty_from = "research_guidance", date(2025, 3, 1)
    rotation.save()
    assert finding("R-C7", flow.weaker, date(2025, 9, 1)).status == "pass"


@pytest.mark.django_db
def test_a_teacher_back_without_a_good_rating_owes_no_duty() -> None:
    flow = Flow()
    rotation = flow.rotate(
        flow.staff(flow.weaker, 1)[0], flow.quality, kind="shadowing", planned_end=date(2025, 1, 20)
    )
    RotationAppraisal.objects.create(
        rotation=rotation, school_year=2024, rating="pass", appraised_on=date(2025, 1, 15)
    )
    assert no_finding("R-C7", flow.weaker, date(2025, 9, 1))


# R-C8: staffing plans ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_staffing_plan_missing_incomplete_or_filed() -> None:
    flow = Flow()
    missing = finding("R-C8", flow.cluster)
    assert (missing.status, missing.subject_type, missing.measured["plan"]) == ("at_risk", "cluster", False)
    assert finding("R-C8", flow.cluster, YEAR_END).status == "fail"
    plan = StaffingPlan.objects.create(
        cluster=flow.cluster,
        school_year=2024,
        covers_recruitment=True,
        covers_flow=True,
        covers_titles=True,
        filed_on=date(2024, 10, 1),
    )
    incomplete = finding("R-C8", flow.cluster)
    assert incomplete.status == "at_risk" and incomplete.measured["missing_parts"] == ["performance_pay"]
    plan.covers_performance_pay = True
    plan.save()
    assert finding("R-C8", flow.cluster, date(2024, 9, 20)).status == "at_risk"  # not filed yet that day
    filed = finding("R-C8", flow.cluster)
    assert filed.status == "pass" and filed.measured["filed_on"] == "2024-10-01"


# Words, pages, the command and the query count ------------------------------------------------------------------


@pytest.mark.django_db
def test_findings_read_in_chinese_and_the_eligible_years_say_they_are_not_s2s(chinese: Any) -> None:
    flow = Flow()
    flow.rotate(flow.staff(flow.quality, 10)[0], flow.weaker)
    found = finding("R-C2.a", flow.quality)
    assert measured_lines("R-C2.a", found.measured) == [
        "学年：2024-2025",
        "符合交流轮岗条件的教师：10 人",
        "应流入相对薄弱校：2 人",
        "已流入相对薄弱校：1 人",
    ]
    share, years = threshold_lines("R-C2.a", found.threshold)
    assert share == "流入人数占符合条件教师的比例：不低于 20%"
    assert years.startswith("符合交流轮岗条件的连续任教年限：不少于 6 年（不取自 S2")
    lines = measured_lines("R-C8", finding("R-C8", flow.cluster).measured)
    assert "本学年教师统筹方案：否" in lines and "缺少的内容：招聘、流动、职称评聘、绩效工资增量分配" in lines


@pytest.mark.django_db
def test_the_eligible_years_are_a_parameter_noted_as_not_taken_from_s2(make_user: Any) -> None:
    threshold = Threshold.objects.get(edition__code="S2", key="R-C1.rotation_eligible_years")
    assert float(threshold.value) == 6 and "不取自 S2" in threshold.note
    assert "不是 S2 的条款" in threshold.clause and not threshold.source.startswith("S2")
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code=DISTRICT)))
    page = client.get(f"/policy/editions/{threshold.edition_id}/").content.decode()
    assert "不取自 S2" in page
    assert "不取自 S2" in client.get(f"/policy/thresholds/{threshold.pk}/").content.decode()


@pytest.mark.django_db
def test_the_command_reports_the_flow_rules_with_their_subjects_and_numbers(tmp_path: Path) -> None:
    flow = Flow()
    flow.rotate(flow.staff(flow.quality, 10)[0], flow.weaker)
    ClusterResult.objects.create(
        year=2024,
        cluster=flow.cluster,
        stage="junior",
        subject="数学",
        schools=3,
        students=300,
        between_school_share=0.1,
        pass_share=0.8,
        district_pass_share=0.75,
        weaker_schools_improved=True,
        meets_model_standard=True,
    )
    out = tmp_path / "s2.json"
    call_command(
        "compliance", "--edition", "S2", "--as-of", "2024-10-15", "--district", DISTRICT, "-o", str(out)
    )
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    rules = {f["rule"] for f in findings}
    assert {"R-C2.a", "R-C2.b", "R-C2.c", "R-C5", "R-C6", "R-C8", "R-E3.a", "R-E3.b"} <= rules
    quota = next(f for f in findings if f["rule"] == "R-C2.a" and f["subject"]["id"] == flow.quality.pk)
    assert quota["subject"] == {"type": "school", "id": flow.quality.pk, "name": flow.quality.name}
    assert quota["measured"] == {"school_year": "2024-2025", "eligible": 10, "required": 2, "sent": 1}
    assert quota["status"] == "at_risk" and quota["clause"] == "S2 二(二)1"
    plan = next(f for f in findings if f["rule"] == "R-C8" and f["subject"]["id"] == flow.cluster.pk)
    assert plan["subject"]["type"] == "cluster"


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_clusters_schools_teachers_or_rotations() -> None:
    edition, district = PolicyEdition.objects.get(code="S2"), District.objects.get(code=DISTRICT)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            evaluate(edition, date(2025, 3, 1), district)
        return len(captured)

    def busy(name: str, teachers: int) -> None:
        flow = Flow(name)
        staff = flow.staff(flow.quality, teachers, backbone_tier="school_backbone")
        for teacher in staff[: teachers // 3]:
            rotation = flow.rotate(teacher, flow.weaker, kind="team_inflow", team="组", subjects="数学")
            RotationAppraisal.objects.create(
                rotation=rotation, school_year=2024, rating="good", appraised_on=date(2025, 1, 10)
            )
        back = flow.rotate(
            flow.staff(flow.weaker, 1)[0], flow.quality, kind="mentoring", planned_end=date(2025, 1, 20)
        )
        RotationAppraisal.objects.create(
            rotation=back, school_year=2024, rating="good", appraised_on=date(2025, 1, 10)
        )
        StaffingPlan.objects.create(cluster=flow.cluster, school_year=2024, filed_on=date(2024, 10, 1))

    busy("一", 6)
    before = queries()
    for name in ("二", "三", "四"):
        busy(name, 30)
    assert queries() == before
