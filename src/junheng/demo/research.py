"""Demo joint research, guidance and probation (演示数据) in the demo city's model clusters (S2 二(三)2), for the two
semesters of school year 2024-2025, the last ending the day before the demo's day (city.TODAY).

How each model cluster fares is set in turn, so that both sizes show every case of R-D5 and R-D7 in a check as of
2025-08-31 (and R-D5 at risk in one as of 2025-06-15): five activities in every subject; one subject with four;
one subject with none. Every other cluster names its own list of four subjects, the others are judged on the
default subjects of their schools' stages. Each cluster has a guidance team of an expert and a teacher, a visit to
each member school each semester with a follow-up action (done, open, or open past its due date), and new
teachers on probation at the lead school — and, in one cluster of three, one at a weaker member school."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.core.periods import SchoolYear, Semester
from junheng.organisations.models import Cluster, ClusterMembership, in_force_on
from junheng.sharing.models import (
    ClusterResearchSetting,
    FollowUpAction,
    GuidanceTeamMember,
    NewTeacherProbation,
    ResearchActivity,
    SupervisoryVisit,
)
from junheng.sharing.research_choices import COUNTED_KINDS, ResearchKind, default_subjects

from .city import DEMO_MARK, TODAY

YEAR = SchoolYear(2024)
SEMESTERS = (Semester(YEAR, 1), Semester(YEAR, 2))
OWN_SUBJECTS = "语文、数学、外语、科学"
MET, ONE_SHORT, ONE_NONE = "met", "one_short", "one_none"
PROFILES = (MET, ONE_SHORT, ONE_NONE)
REQUIRED = 5  # the S2 edition's number a semester, which the profiles meet or miss


def demo_research_remove() -> None:
    for model in (
        NewTeacherProbation,
        SupervisoryVisit,
        GuidanceTeamMember,
        ResearchActivity,
        ClusterResearchSetting,
    ):
        model.objects.filter(is_demo=True).delete()  # follow-up actions and parts go with their records


def _count(profile: str, index: int, subjects: list[str]) -> int:
    """Activities of the subject at `index` this semester: the last subject falls short in the short profiles."""
    if index == len(subjects) - 1 and profile == ONE_SHORT:
        return REQUIRED - 1
    if index == len(subjects) - 1 and profile == ONE_NONE:
        return 0
    return REQUIRED


@transaction.atomic
def demo_research_build(size: str) -> dict[str, int]:
    """The same records for a size every time: no randomness, only the clusters' order."""
    clusters = list(
        Cluster.objects.filter(is_demo=True, model_status__in=("creating", "accredited"))
        .select_related("lead_school")
        .order_by("district__code", "name")
    )
    settings, activities, team, visits, probations = [], [], [], [], []
    for number, cluster in enumerate(clusters):
        members = list(
            ClusterMembership.objects.filter(in_force_on(SEMESTERS[0].start), cluster=cluster)
            .select_related("school")
            .order_by("school__code")
        )
        own = number % 2 == 1
        settings.append(
            ClusterResearchSetting(cluster=cluster, subjects=OWN_SUBJECTS if own else "", is_demo=True)
        )
        subjects = OWN_SUBJECTS.split("、") if own else default_subjects({m.school.stage for m in members})
        profile = PROFILES[number % len(PROFILES)]
        for semester in SEMESTERS:
            for index, subject in enumerate(subjects):
                for turn in range(_count(profile, index, subjects)):
                    activities.append(
                        ResearchActivity(
                            cluster=cluster,
                            organiser=members[turn % len(members)].school if members else None,
                            kind=COUNTED_KINDS[turn % len(COUNTED_KINDS)],
                            subjects=subject,
                            theme=f"{subject}联合教研（演示）第{turn + 1}次",
                            date=semester.start + timedelta(days=14 + 21 * turn),
                            participants=8 + turn,
                            is_demo=True,
                        )
                    )
            activities.append(
                ResearchActivity(
                    cluster=cluster,
                    kind=ResearchKind.CROSS_DISCIPLINARY,
                    subjects="科学、数学",
                    theme="跨学科项目化学习（演示）",
                    date=semester.start + timedelta(days=40),
                    participants=15,
                    is_demo=True,
                )
            )
        team += [
            GuidanceTeamMember(
                cluster=cluster,
                name=f"演示专家{number + 1}",
                unit=f"{cluster.district}教育学院",
                role="expert",
                start_date=YEAR.start,
                is_demo=True,
            ),
            GuidanceTeamMember(
                cluster=cluster,
                name=f"演示骨干教师{number + 1}",
                unit=str(cluster.lead_school or cluster),
                role="teacher",
                subject="数学",
                start_date=YEAR.start,
                is_demo=True,
            ),
        ]
        for semester in SEMESTERS:
            for turn, membership in enumerate(members):
                visits.append(
                    SupervisoryVisit(
                        cluster=cluster,
                        school=membership.school,
                        date=semester.start + timedelta(days=30 + 7 * turn),
                        visitors=f"演示专家{number + 1}、演示骨干教师{number + 1}",
                        findings="课堂提问以记忆性问题为主，作业分层不足（演示）",
                        diagnosis="教研组对新课标的研读不够深入（演示）",
                        is_demo=True,
                    )
                )
        if cluster.lead_school_id:
            probations.append(
                NewTeacherProbation(
                    cluster=cluster,
                    name=f"演示新教师{number + 1}甲",
                    staff_number=f"DN{cluster.pk:05d}1",
                    probation_school=cluster.lead_school,
                    start_date=YEAR.start,
                    end_date=YEAR.end,
                    is_demo=True,
                )
            )
        weaker = [m.school for m in members if m.tier == "weaker"]
        if number % 3 == 2 and weaker:
            probations.append(
                NewTeacherProbation(
                    cluster=cluster,
                    name=f"演示新教师{number + 1}乙",
                    staff_number=f"DN{cluster.pk:05d}2",
                    probation_school=weaker[0],
                    start_date=YEAR.start,
                    end_date=YEAR.end,
                    is_demo=True,
                )
            )
    for model, rows in (
        (ClusterResearchSetting, settings),
        (ResearchActivity, activities),
        (GuidanceTeamMember, team),
        (SupervisoryVisit, visits),
        (NewTeacherProbation, probations),
    ):
        bulk_create_with_history(rows, model, batch_size=2000, default_change_reason=DEMO_MARK)
    actions = [
        FollowUpAction(
            visit=visit,
            action="开展作业分层设计专题教研（演示）",
            due_date=visit.date + timedelta(days=60),
            status="done" if turn % 3 == 0 else "open",
            done_on=visit.date + timedelta(days=45) if turn % 3 == 0 else None,
        )
        for turn, visit in enumerate(SupervisoryVisit.objects.filter(is_demo=True).order_by("pk"))
        if visit.date + timedelta(days=45) < TODAY or turn % 3
    ]
    bulk_create_with_history(actions, FollowUpAction, batch_size=2000, default_change_reason=DEMO_MARK)
    return {"research_activities": len(activities), "supervisory_visits": len(visits)}


AS_OF = date(
    2025, 8, 31
)  # the last day of the demo's semester: `junheng compliance --edition S2 --as-of 2025-08-31`
