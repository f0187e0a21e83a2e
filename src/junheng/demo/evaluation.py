"""Demo resources and green indicators of the demo schools, for the two demo school years (quality schools are
better provided for, the weaker schools catch up a little in the later year, those of an unbalanced cluster lag
far behind, and a partly reported cluster's later year has its lead school's records only), the principals' appraisal and a
parents' satisfaction survey."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.evaluation.models import (
    AppraisalForm,
    AppraisalItem,
    PrincipalAppraisal,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from junheng.evaluation.models.balance import GreenIndex, GreenIndicatorRecord, ResourceRecord
from junheng.organisations.models import ClusterMembership, District, SchoolYearCount

from .city import COUNT_YEARS, DEMO_MARK, PARTLY_REPORTED, UNBALANCED, demo_cluster_profiles

# Per student (or per hundred students) in a quality school of each stage: the method's standards and a margin.
PROVISION = {
    "primary": {"qualified_teachers": 5.0, "backbone_teachers": 1.4, "arts_pe_teachers": 1.1,
                "teaching_area": 5.2, "sports_area": 8.0, "equipment_value": 2600, "multimedia_classrooms": 2.8},
    "junior": {"qualified_teachers": 6.2, "backbone_teachers": 1.6, "arts_pe_teachers": 1.0,
               "teaching_area": 6.5, "sports_area": 11.0, "equipment_value": 3200, "multimedia_classrooms": 2.9},
}  # fmt: skip


@transaction.atomic
def demo_balance_build() -> tuple[int, int]:
    """Makes the records; returns how many of each."""
    rng = random.Random("junheng-demo-balance")
    fares = demo_cluster_profiles()
    members = ClusterMembership.objects.filter(cluster__in=list(fares)).select_related("cluster")
    weaker = {m.school_id: fares[m.cluster_id] for m in members if m.tier == "weaker"}
    unreported = {  # the later year of a partly reported cluster: its lead school's records only
        m.school_id
        for m in members
        if fares[m.cluster_id] == PARTLY_REPORTED and m.school_id != m.cluster.lead_school_id
    }
    resources, indicators = [], []
    counts = SchoolYearCount.objects.filter(school__is_demo=True).order_by("school", "school_year")
    for count in counts:
        catch_up = 0.08 * COUNT_YEARS.index(count.school_year)
        if count.school_id in weaker:  # far behind in an unbalanced cluster: the spread is over the limit
            share = (0.3 if weaker[count.school_id] == UNBALANCED else 0.6) + catch_up
        else:
            share = rng.uniform(0.85, 1.25)
        if count.school_year == COUNT_YEARS[-1] and count.school_id in unreported:
            continue
        for stage, provision in PROVISION.items():
            students = getattr(count, f"{stage}_students")
            if students:
                resources.append(_resources(rng, count, stage, students, provision, share))
        indicators.append(_green(rng, count, share))
    bulk_create_with_history(resources, ResourceRecord, default_change_reason=DEMO_MARK)
    bulk_create_with_history(indicators, GreenIndicatorRecord, default_change_reason=DEMO_MARK)
    return len(resources), len(indicators)


def _resources(
    rng: random.Random,
    count: SchoolYearCount,
    stage: str,
    students: int,
    provision: dict[str, float],
    share: float,
) -> ResourceRecord:
    def amount(name: str) -> float:
        per = students / 100 if name in {"qualified_teachers", "backbone_teachers", "arts_pe_teachers",
                                         "multimedia_classrooms"} else students  # fmt: skip
        return float(provision[name] * per * share * rng.uniform(0.85, 1.15))

    return ResourceRecord(
        school_id=count.school_id,
        school_year=count.school_year,
        stage=stage,
        students=students,
        **{
            name: round(amount(name))
            for name in (
                "qualified_teachers",
                "backbone_teachers",
                "arts_pe_teachers",
                "multimedia_classrooms",
            )
        },
        **{
            name: Decimal(f"{amount(name):.2f}")
            for name in ("teaching_area", "sports_area", "equipment_value")
        },
    )


def _green(rng: random.Random, count: SchoolYearCount, share: float) -> GreenIndicatorRecord:
    level = 4.5 + 3 * (share - 0.6)
    return GreenIndicatorRecord(
        school_id=count.school_id,
        year=count.school_year + 1,  # the assessment of a school year is reported in the spring
        **{index: Decimal(f"{min(9, max(1, rng.gauss(level, 0.8))):.1f}") for index in GreenIndex.values},
    )


APPRAISAL_ITEMS = [("办学质量与特色", 30, False), ("学区集团资源共享", 20, True), ("教师交流轮岗", 15, True),
                   ("联合教研与课程共建", 15, True), ("党建与学校管理", 20, False)]  # fmt: skip
LOW_SHARE_DISTRICT = "310151"  # 崇明's demo form gives the cluster 35%: the board shows R-E1 falling short


@transaction.atomic
def demo_appraisals_build(year: int = 2024) -> int:
    """A form per district with demo clusters, and every member school's principal appraised on it."""
    rng = random.Random("junheng-demo-appraisal")
    members = ClusterMembership.objects.filter(school__is_demo=True).select_related("school__district")
    schools = {m.school.pk: m.school for m in members}
    forms = {}
    for district in District.objects.filter(pk__in={s.district_id for s in schools.values()}).order_by(
        "code"
    ):
        form = AppraisalForm.objects.create(
            district=district, year=year, name=f"{district.short_name}校长年度考评（演示）"
        )
        for order, (name, weight, cluster_work) in enumerate(APPRAISAL_ITEMS):
            if district.code == LOW_SHARE_DISTRICT and name == "联合教研与课程共建":
                cluster_work = False
            AppraisalItem.objects.create(
                form=form, name=name, weight=weight, cluster_work=cluster_work, order=order
            )
        forms[district.pk] = form
    appraisals = []
    for school in schools.values():
        form = forms[school.district_id]
        appraisal = PrincipalAppraisal(
            form=form,
            school=school,
            principal_name=f"{school.name[:2]}校长",
            scores={str(item.pk): round(rng.uniform(70, 98), 1) for item in form.items.all()},
        )
        appraisal.full_clean()
        appraisals.append(appraisal)
    bulk_create_with_history(appraisals, PrincipalAppraisal, default_change_reason=DEMO_MARK)
    return len(appraisals)


SURVEY_QUESTIONS = [
    "您对孩子所在学校的教育教学质量满意吗",
    "您对学区/集团组织的跨校活动满意吗",
    "您对学校的课后服务满意吗",
]


@transaction.atomic
def demo_surveys_build(year: int = 2025, per_school: int = 20) -> int:
    """A parents' survey per district with demo clusters, answered for every member school; weaker schools'
    parents are a little less satisfied."""
    rng = random.Random("junheng-demo-survey")
    weaker = set(ClusterMembership.objects.filter(tier="weaker").values_list("school", flat=True))
    members = ClusterMembership.objects.filter(school__is_demo=True).select_related("school")
    schools = {m.school.pk: m.school for m in members}
    responses = []
    for district in District.objects.filter(pk__in={s.district_id for s in schools.values()}).order_by(
        "code"
    ):
        survey = Survey.objects.create(
            district=district,
            year=year,
            title=f"{district.short_name}家长满意度调查（演示）",
            audience="parents",
        )
        questions = [
            SurveyQuestion.objects.create(survey=survey, text=t, order=n)
            for n, t in enumerate(SURVEY_QUESTIONS)
        ]
        for school in (s for s in schools.values() if s.district_id == district.pk):
            centre = 3.6 if school.pk in weaker else 4.2
            for _n in range(per_school):
                response = SurveyResponse(
                    survey=survey,
                    school=school,
                    answers={str(q.pk): min(5, max(1, round(rng.gauss(centre, 0.8)))) for q in questions},
                )
                response.full_clean()
                responses.append(response)
    SurveyResponse.objects.bulk_create(responses)
    return len(responses)
