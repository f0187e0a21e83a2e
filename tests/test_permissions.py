"""The permission matrix (R-F1, R-F7): every resource of the registry and every derived view × every role (each in
an organisation that must see and one that must not) × every action, checked against the one table in
`tests/permissions_table.py`. Out of scope answers exactly like missing: 404."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.test import Client

from junheng.core.api import writable_fields
from junheng.core.choices import Action
from junheng.core.models import ApiToken
from junheng.core.resources import REGISTRY
from junheng.evaluation.models import (
    AppraisalForm,
    AppraisalItem,
    ClusterResult,
    DistrictResult,
    GreenIndicatorRecord,
    PrincipalAppraisal,
    ResourceRecord,
    SchoolResult,
    Survey,
    SurveyQuestion,
)
from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    District,
    GovernanceDocument,
    Institution,
    Membership,
    MembershipChange,
    School,
    SchoolYearCount,
    WorkMeeting,
)
from junheng.policy.accreditation.models import Accreditation
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition, RotationNeed, RotationPlan, Threshold
from junheng.policy.planning import may_plan
from junheng.policy.reminders import reminders_for
from junheng.programmes.models import (
    BaselineAssessment,
    CaseStudy,
    DevelopmentRecord,
    Evaluation,
    ExpertEngagement,
    FundAllocation,
    Interaction,
    Pairing,
    PlanReview,
    ProgrammeRound,
    ResidentAssignment,
    ReviewEvent,
    ServiceRecord,
    Spending,
    SubjectDocking,
    ThreeYearPlan,
    TransparencyReport,
)
from junheng.sharing.models import (
    Booking,
    ClusterCulture,
    ClusterEvent,
    ClusterResearchSetting,
    CourseApplication,
    CourseEnrolment,
    EnrolmentRound,
    EventParticipant,
    EventPhoto,
    Facility,
    FollowUpAction,
    GuidanceTeamMember,
    LibraryResource,
    NewTeacherProbation,
    ResearchActivity,
    ResearchEvidence,
    ResearchParticipant,
    ResourceRating,
    ResourceVersion,
    SharedCourse,
    Student,
    SupervisoryVisit,
)
from junheng.staffing.models import (
    EligibilityExclusion,
    Employment,
    Rotation,
    RotationAppraisal,
    StaffingPlan,
    Teacher,
)

from .permissions_table import ROLES, TABLE, cells, render_markdown

AS_OF = date(2022, 7, 15)

# Models seen only through another record or view of the table (what decides who sees them), and models that are
# no record of the platform's users at all. A model in neither, nor in the registry, fails the test below.
SEEN_THROUGH = {
    "policy.Finding": "finding",
    "policy.ComplianceRun": "city-run",
    "policy.RotationPlan": "rotation-plan",
    "organisations.Membership": "roles",
    "policy.AccreditationStep": "accreditations",
    "organisations.DistrictAlias": "districts",
    "programmes.ProgrammeRound": "pairings",
    "programmes.PlanReview": "plans",
    "evaluation.ScoreUpload": "district-results",
    "evaluation.SurveyInvitation": "surveys",
    "evaluation.SurveyResponse": "surveys",
}
NOT_USERS_RECORDS = {
    "core.ApiToken": "a credential, shown once to its owner",
    "core.SecurityEvent": "the security log, read by operators",
    "core.ImportJob": "an upload's progress, seen by the user who started it",
    "sharing.ResourceUsage": "counts of views and downloads, read in the library's credits",
}


def baoshan() -> District:
    return District.objects.get(code="310113")


def yuepu() -> School:
    return School.objects.get(name="月浦中心校")


def the_pairing() -> Pairing:
    return Pairing.objects.get(kind="entrusted", sequence=1)


def the_cluster() -> Cluster:
    return Cluster.objects.filter(district__code="310113", is_demo=True).order_by("name").first()


def other_school() -> School:
    in_pairings = Pairing.objects.values("supported_school")
    supporting = Pairing.objects.exclude(supporting_school=None).values("supporting_school")
    in_cluster = the_cluster().memberships.values("school")
    return (
        School.objects.filter(district=baoshan())
        .exclude(pk__in=in_pairings)
        .exclude(pk__in=supporting)
        .exclude(pk__in=in_cluster)
        .order_by("name")
        .first()
    )


def _form() -> AppraisalForm:
    return AppraisalForm.objects.get_or_create(district=baoshan(), year=2024, name="宝山区校长考评")[0]


def _item() -> AppraisalItem:
    return AppraisalItem.objects.get_or_create(
        form=_form(), name="学区集团工作", defaults={"weight": 50, "cluster_work": True}
    )[0]


def _survey() -> Survey:
    return Survey.objects.get_or_create(
        district=baoshan(), year=2025, title="宝山家长满意度", audience="parents"
    )[0]


def _round() -> ProgrammeRound:
    return ProgrammeRound.objects.get()


def _host() -> School:
    """Where the sample teacher rotates: another school of the sample cluster."""
    return the_cluster().memberships.exclude(school=yuepu()).order_by("school__name").first().school


def _rotation() -> Rotation:
    return Rotation.objects.get_or_create(
        teacher=the_teacher(),
        defaults={
            "kind": "exchange",
            "from_school": yuepu(),
            "host": _host(),
            "start_date": date(2023, 9, 1),
            "planned_end": date(2026, 8, 31),
            "status": "in_progress",
        },
    )[0]


ALL_DAY = {str(day): [["00:00", "24:00"]] for day in range(1, 8)}


def _facility(owner: School, name: str) -> Facility:
    return Facility.objects.get_or_create(
        owner=owner, name=name, defaults={"kind": "library", "capacity": 60, "opening_hours": ALL_DAY}
    )[0]


def _activity() -> ResearchActivity:
    return ResearchActivity.objects.get_or_create(
        theme="月浦样本教研",
        defaults={
            "cluster": the_cluster(),
            "organiser": yuepu(),
            "kind": "joint_research",
            "subjects": "数学",
            "date": date(2024, 10, 8),
        },
    )[0]


def _visit() -> SupervisoryVisit:
    return SupervisoryVisit.objects.get_or_create(
        findings="月浦样本发现",
        defaults={"cluster": the_cluster(), "school": yuepu(), "date": date(2024, 11, 5)},
    )[0]


def _booking() -> Booking:
    """月浦中心校 books the library of another member school of its cluster."""
    starts_at = datetime(2024, 7, 8, 14, tzinfo=ZoneInfo("Asia/Shanghai"))  # a member since 2023-09
    return Booking.objects.get_or_create(
        facility=_facility(_host(), "月浦样本借用图书馆"),
        booking_school=yuepu(),
        starts_at=starts_at,
        defaults={"ends_at": starts_at + timedelta(hours=2), "purpose": "月浦样本阅读课", "group_size": 40},
    )[0]


def _course() -> SharedCourse:
    return SharedCourse.objects.get_or_create(
        school=yuepu(),
        cluster=the_cluster(),
        school_year=2024,
        semester=1,
        title="月浦样本共享课程",
        defaults={"kind": "science_lab", "capacity": 30, "slots": ["Wed7"]},
    )[0]


def _enrolment_round() -> EnrolmentRound:
    return EnrolmentRound.objects.get_or_create(
        cluster=the_cluster(),
        school_year=2024,
        semester=1,
        title="月浦样本选课",
        defaults={"opens_on": date(2024, 9, 1), "closes_on": date(2024, 9, 20), "seed": 7},
    )[0]


def _application() -> CourseApplication:
    student = Student.objects.get_or_create(
        student_number="YP-SAMPLE", defaults={"name": "月浦样本学生", "school": yuepu()}
    )[0]
    return CourseApplication.objects.get_or_create(
        round=_enrolment_round(), student=student, course=_course(), defaults={"rank": 1}
    )[0]


def _enrolment() -> CourseEnrolment:
    application = _application()
    return CourseEnrolment.objects.get_or_create(
        round=application.round,
        student=application.student,
        course=application.course,
        defaults={"status": "enrolled", "lottery": 1},
    )[0]


def _library_resource() -> LibraryResource:
    return LibraryResource.objects.get_or_create(
        title="月浦样本教案",
        defaults={
            "kind": "lesson_plan",
            "subject": "数学",
            "stage": "primary",
            "school": yuepu(),
            "author": the_teacher(),
            "cluster": the_cluster(),
        },
    )[0]


def _cluster_event() -> ClusterEvent:
    return ClusterEvent.objects.get_or_create(
        title="月浦样本艺术节",
        defaults={"cluster": the_cluster(), "school": yuepu(), "kind": "showcase", "date": date(2024, 5, 20)},
    )[0]


def _accreditation() -> Accreditation:
    return Accreditation.objects.get_or_create(cluster=the_cluster(), defaults={"statement": "月浦样本申报"})[
        0
    ]


SAMPLES = {
    "districts": baoshan,
    "schools": yuepu,
    "institutions": lambda: Institution.objects.get(name="上海名师培训中心"),
    "clusters": the_cluster,
    "pairings": the_pairing,
    "experts": lambda: ExpertEngagement.objects.create(
        pairing=the_pairing(), name="专家甲", role="expert", start_date=date(2021, 3, 1)
    ),
    "subject-dockings": lambda: SubjectDocking.objects.create(
        pairing=the_pairing(),
        subject="数学",
        supported_group="数学教研组",
        supporting_contact="杨浦小学数学组",
        started_on=date(2021, 3, 1),
    ),
    "service-records": lambda: ServiceRecord.objects.create(
        pairing=the_pairing(), teacher_name="支教教师乙", start_date=date(2021, 3, 1), hours=120
    ),
    "development-records": lambda: DevelopmentRecord.objects.create(
        pairing=the_pairing(),
        kind="mentoring",
        teacher_name="青年教师丙",
        mentor_name="导师丁",
        start_date=date(2021, 3, 1),
    ),
    "spending": lambda: Spending.objects.create(
        pairing=the_pairing(),
        date=date(2021, 4, 1),
        amount=1200,
        category="training",
        purpose="月浦中心校教师培训",
    ),
    "cases": lambda: CaseStudy.objects.create(
        pairing=the_pairing(), title="月浦中心校的变化", summary="摘要", body="正文"
    ),
    "residents": lambda: ResidentAssignment.objects.create(
        pairing=the_pairing(), person_name="常驻甲", role="manager", start_date=date(2021, 3, 1)
    ),
    "interactions": lambda: Interaction.objects.create(
        pairing=the_pairing(), date=date(2021, 3, 5), kind="on_site", subjects="数学"
    ),
    "baselines": lambda: BaselineAssessment.objects.create(
        pairing=the_pairing(), assessed_on=date(2021, 1, 5), key_problems="课程领导力不足"
    ),
    "plans": lambda: ThreeYearPlan.objects.create(pairing=the_pairing(), title="月浦中心校三年规划"),
    "evaluations": lambda: Evaluation.objects.create(
        pairing=the_pairing(), kind="mid_term", completed_on=date(2022, 6, 1), conclusion="中期评估结论"
    ),
    "review-events": lambda: ReviewEvent.objects.create(
        round=_round(),
        district=baoshan(),
        kind="half_year_summary",
        date=date(2021, 6, 1),
        title="宝山区总结",
    ),
    "fund-allocations": lambda: FundAllocation.objects.create(
        round=_round(), district=baoshan(), year=2021, amount=500000, document_number="宝山拨款文号"
    ),
    "transparency-reports": lambda: TransparencyReport.objects.create(
        round=_round(), year=2021, note="2021年经费公开"
    ),
    "editions": lambda: PolicyEdition.objects.get(code="S1"),
    "thresholds": lambda: Threshold.objects.get(edition__code="S1", key="R-B3.resident_staff"),
    "resource-records": lambda: ResourceRecord.objects.create(
        school=yuepu(),
        school_year=2024,
        stage="primary",
        students=600,
        qualified_teachers=30,
        backbone_teachers=6,
        arts_pe_teachers=6,
        teaching_area=3000,
        sports_area=4800,
        equipment_value=1500000,
        multimedia_classrooms=14,
    ),
    "green-indicators": lambda: GreenIndicatorRecord.objects.create(school=yuepu(), year=2024, achievement=7),
    "school-results": lambda: SchoolResult.objects.create(
        year=2024, school=yuepu(), subject="数学", students=80, mean=75, pass_share=0.9
    ),
    "district-results": lambda: DistrictResult.objects.create(
        year=2024,
        district=baoshan(),
        stage="primary",
        subject="数学",
        schools=10,
        students=900,
        pass_share=0.85,
    ),
    "cluster-results": lambda: ClusterResult.objects.create(
        year=2024,
        cluster=the_cluster(),
        stage="primary",
        subject="数学",
        schools=4,
        students=400,
        pass_share=0.9,
        meets_model_standard=False,
    ),
    "appraisal-forms": _form,
    "appraisal-items": _item,
    "principal-appraisals": lambda: PrincipalAppraisal.objects.create(
        form=_item().form, school=yuepu(), principal_name="月浦校长", scores={str(_item().pk): 90}
    ),
    "surveys": _survey,
    "survey-questions": lambda: SurveyQuestion.objects.create(survey=_survey(), text="对学校满意吗"),
    "teachers": lambda: the_teacher(),
    "employments": lambda: Employment.objects.create(
        teacher=the_teacher(), school=yuepu(), start_date=date(2015, 9, 1)
    ),
    "eligibility-exclusions": lambda: EligibilityExclusion.objects.create(
        teacher=the_teacher(), school_year=2024, reason="月浦样本不参加轮岗"
    ),
    "rotations": _rotation,
    "rotation-appraisals": lambda: RotationAppraisal.objects.create(
        rotation=_rotation(),
        school_year=2023,
        rating="good",
        appraised_on=date(2024, 7, 1),
        note="月浦样本考核",
    ),
    "staffing-plans": lambda: StaffingPlan.objects.create(cluster=the_cluster(), school_year=2024),
    "rotation-needs": lambda: RotationNeed.objects.create(
        school=yuepu(), school_year=2025, subject="月浦样本学科", stage="junior", need=2
    ),
    "facilities": lambda: _facility(yuepu(), "月浦样本图书馆"),
    "bookings": _booking,
    "shared-courses": _course,
    "students": lambda: _application().student,
    "enrolment-rounds": _enrolment_round,
    "course-applications": _application,
    "course-enrolments": _enrolment,
    "library-resources": _library_resource,
    "resource-versions": lambda: ResourceVersion.objects.create(
        resource=_library_resource(), number=1, link="https://example.org/yuepu"
    ),
    "resource-ratings": lambda: ResourceRating.objects.create(
        resource=_library_resource(),
        user=get_user_model().objects.create_user("rater-sample"),
        stars=4,
        comment="月浦样本评语",
    ),
    "cluster-cultures": lambda: ClusterCulture.objects.get_or_create(
        cluster=the_cluster(), defaults={"motto": "月浦样本口号"}
    )[0],
    "cluster-events": _cluster_event,
    "event-participants": lambda: EventParticipant.objects.create(
        event=_cluster_event(), school=_host(), students=30
    ),
    "event-photos": lambda: EventPhoto.objects.create(
        event=_cluster_event(), image="events/yuepu.png", caption="月浦样本照片"
    ),
    "research-settings": lambda: ClusterResearchSetting.objects.create(
        cluster=the_cluster(), subjects="月浦样本学科"
    ),
    "research-activities": lambda: _activity(),
    "research-participants": lambda: ResearchParticipant.objects.create(
        activity=_activity(), school=yuepu(), person_name="月浦样本参与者"
    ),
    "research-evidence": lambda: ResearchEvidence.objects.create(
        activity=_activity(), title="月浦样本材料", file="evidence/research/sample.pdf"
    ),
    "guidance-team": lambda: GuidanceTeamMember.objects.create(
        cluster=the_cluster(),
        name="月浦样本专家",
        unit="宝山区教育学院",
        role="expert",
        start_date=date(2024, 9, 1),
    ),
    "supervisory-visits": lambda: _visit(),
    "follow-up-actions": lambda: FollowUpAction.objects.create(
        visit=_visit(), action="月浦样本措施", due_date=date(2024, 12, 1)
    ),
    "probations": lambda: NewTeacherProbation.objects.create(
        cluster=the_cluster(),
        name="月浦样本新教师",
        staff_number="N-SAMPLE",
        probation_school=yuepu(),
        start_date=date(2024, 9, 1),
    ),
    "cluster-memberships": lambda: ClusterMembership.objects.get_or_create(
        cluster=the_cluster(), school=yuepu(), defaults={"tier": "weaker", "start_date": date(2021, 3, 1)}
    )[0],
    "school-year-counts": lambda: SchoolYearCount.objects.get_or_create(
        school=yuepu(), school_year=2024, defaults={"teachers": 40}
    )[0],
    "governance-documents": lambda: GovernanceDocument.objects.create(
        cluster=the_cluster(),
        kind="charter",
        title="月浦样本章程",
        status="adopted",
        adopted_on=date(2024, 3, 1),
    ),
    "work-meetings": lambda: WorkMeeting.objects.create(
        cluster=the_cluster(), held_on=date(2024, 10, 8), title="月浦样本例会", attendees="甲", minutes="纪要"
    ),
    "membership-changes": lambda: MembershipChange.objects.create(
        cluster=the_cluster(),
        school=yuepu(),
        kind="tier",
        tier="quality",
        effective_on=date(2025, 9, 1),
        reason="月浦样本变动",
    ),
    "accreditations": _accreditation,
}

# What shows a sample in its list's export, where its name is not the text of one cell.
EXPORTED_AS = {
    "rotation-needs": lambda o: o.subject,
    "facilities": lambda o: o.name,
    "bookings": lambda o: o.purpose,
    "shared-courses": lambda o: o.title,
    "students": lambda o: o.student_number,
    "enrolment-rounds": lambda o: o.title,
    "resource-versions": lambda o: o.link,
    "resource-ratings": lambda o: o.comment,
    "cluster-cultures": lambda o: o.motto,
    "event-participants": lambda o: o.school.name,
    "event-photos": lambda o: o.caption,
    "research-settings": lambda o: o.subjects,
    "research-activities": lambda o: o.theme,
    "research-participants": lambda o: o.person_name,
    "research-evidence": lambda o: o.title,
    "guidance-team": lambda o: o.name,
    "supervisory-visits": lambda o: o.findings,
    "follow-up-actions": lambda o: o.action,
    "probations": lambda o: o.name,
    "experts": lambda o: o.name,
    "subject-dockings": lambda o: o.supported_group,
    "service-records": lambda o: o.teacher_name,
    "development-records": lambda o: o.teacher_name,
    "spending": lambda o: o.purpose,
    "fund-allocations": lambda o: o.document_number,
    "transparency-reports": lambda o: o.note,
    "pairings": lambda o: o.supported_school.name,
    "editions": lambda o: o.code,
    "thresholds": lambda o: o.key,
    "residents": lambda o: o.person_name,
    "interactions": lambda o: o.subjects,
    "baselines": lambda o: o.key_problems,
    "plans": lambda o: o.title,
    "evaluations": lambda o: o.conclusion,
    "resource-records": lambda o: o.school.name,
    "green-indicators": lambda o: o.school.name,
    "school-results": lambda o: o.school.name,
    "district-results": lambda o: o.district.name,
    "cluster-results": lambda o: o.cluster.name,
    "appraisal-forms": lambda o: o.name,
    "appraisal-items": lambda o: o.name,
    "principal-appraisals": lambda o: o.principal_name,
    "surveys": lambda o: o.title,
    "survey-questions": lambda o: o.text,
    "eligibility-exclusions": lambda o: o.reason,
    "rotation-appraisals": lambda o: o.note,
    "cluster-memberships": lambda o: o.school.name,
    "school-year-counts": lambda o: o.school.name,
    "governance-documents": lambda o: o.title,
    "work-meetings": lambda o: o.title,
    "membership-changes": lambda o: o.reason,
    "accreditations": lambda o: o.statement,
}
# Long lists: narrowed by the sample's name on the page and in the API.
SEARCHED = {
    "districts",
    "schools",
    "institutions",
    "clusters",
    "teachers",
    "employments",
    "cluster-memberships",
    "school-year-counts",
    "governance-documents",
    "work-meetings",
    "membership-changes",
    "accreditations",
}
URL_PREFIX = {"organisations": "registry"}


@pytest.fixture
def world(db: Any) -> None:
    """月浦中心校 joins the sample cluster, so that a cluster office reaches a school of the pairing."""
    ClusterMembership.objects.create(
        cluster=the_cluster(), school=yuepu(), tier=Tier.WEAKER, start_date=date(2023, 9, 1)
    )


def user_for(column: str, make_user: Any, plan: Any = None) -> Any:
    """The account of one column of the table."""
    holder: dict[str, tuple[str, Any, bool]] = {
        "M": (Role.MUNICIPAL, None, True),
        "MR": (Role.MUNICIPAL, None, False),
        "D": (Role.DISTRICT_BUREAU, baoshan(), True),
        "DR": (Role.DISTRICT_BUREAU, baoshan(), False),
        "OD": (Role.DISTRICT_BUREAU, District.objects.get(code="310105"), True),
        "C": (Role.CLUSTER_OFFICE, the_cluster(), True),
        "OC": (
            Role.CLUSTER_OFFICE,
            Cluster.objects.filter(district__code="310105").order_by("name").first(),
            True,
        ),
        "S": (Role.SCHOOL, yuepu(), True),
        "OS": (Role.SCHOOL, other_school(), True),
        "U": (Role.SUPPORTING_UNIT, the_pairing().supporting_school, True),
        "OU": (Role.SUPPORTING_UNIT, Institution.objects.get(name="上海名师培训中心"), True),
        "E": (Role.EXPERT, None, False),
        "OE": (Role.EXPERT, None, False),
        "T": (Role.TEACHER, yuepu(), False),
        "OT": (Role.TEACHER, yuepu(), False),
    }
    if column == "N":
        return make_user()
    role, organisation, can_edit = holder[column]
    user = make_user(role, organisation, can_edit=can_edit)
    if column in ("M", "D"):
        Membership.objects.filter(user=user).update(is_administrator=True)
    if column == "E" and plan is not None:
        PlanReview.objects.create(plan=plan, expert=user)
    if column == "T":  # the sample teacher's own account
        Teacher.objects.filter(pk=the_teacher().pk).update(user=user)
    if column == "OT":
        Teacher.objects.create(
            name="另一教师",
            staff_number="T-OTHER",
            employer=yuepu(),
            employed_since=date(2016, 9, 1),
            user=user,
        )
    return user


def the_teacher() -> Teacher:
    return Teacher.objects.get_or_create(
        staff_number="T-SAMPLE",
        defaults={"name": "月浦样本教师", "employer": yuepu(), "employed_since": date(2015, 9, 1)},
    )[0]


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


# The table covers everything ----------------------------------------------------------------------------------


def test_every_resource_and_model_has_rows_in_the_table() -> None:
    assert set(REGISTRY) <= set(TABLE), set(REGISTRY) - set(TABLE)
    assert set(SAMPLES) == set(REGISTRY)
    registered = {r.model._meta.label for r in REGISTRY.values()}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("junheng") or model.__name__.startswith("Historical"):
            continue
        assert label in registered | set(SEEN_THROUGH) | set(NOT_USERS_RECORDS), f"add {label} to the table"
    assert set(SEEN_THROUGH.values()) <= set(TABLE)
    for name in TABLE:
        assert set(cells(name).values()) <= {"RW", "RE", "R", "-"}, name


def test_docs_permissions_is_generated_from_the_table() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
    assert docs.read_text(encoding="utf-8") == render_markdown(), (
        "python -m tests.permissions_table > docs/permissions.md"
    )


# Resources ---------------------------------------------------------------------------------------------------


def _list_url(name: str) -> str:
    app = REGISTRY[name].model._meta.app_label
    return f"/{URL_PREFIX.get(app, app)}/{name}/"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_anonymous_visitors_are_sent_to_log_in(name: str, world: None) -> None:
    obj = SAMPLES[name]()
    client = Client()
    assert client.get(_list_url(name)).status_code == 302
    assert client.get(obj.get_absolute_url()).status_code == 302
    assert client.get(_list_url(name), {"export": "xlsx"}).status_code == 302
    assert client.get(f"/api/v1/{name}/").status_code == 401


@pytest.mark.parametrize("column", ROLES)
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_resource(name: str, column: str, world: None, make_user: Any) -> None:
    resource = REGISTRY[name]
    obj = SAMPLES[name]()
    user = user_for(column, make_user, plan=obj if name == "plans" else None)
    expected = cells(name)[column]
    sees, writes = expected in ("R", "RW", "RE"), expected in ("RW", "RE")
    computed = resource.form is None  # results a command computes: no edit, add or delete anywhere
    page, api = page_client(user), api_client(user)
    detail = obj.get_absolute_url()
    where = f"{name} as {column}"

    listing = page.get(_list_url(name), {"q": str(obj)[:4]} if name in SEARCHED else {})
    assert listing.status_code == 200, where
    assert (f'href="{detail}"' in listing.content.decode()) == sees, f"{where}: list"
    assert page.get(detail).status_code == (200 if sees else 404), f"{where}: detail"
    assert page.get(f"{detail}history/").status_code == (200 if sees else 404), f"{where}: history"
    export = page.get(_list_url(name), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    exported = {str(value) for row in sheet.iter_rows(min_row=2, values_only=True) for value in row}
    assert (EXPORTED_AS.get(name, str)(obj) in exported) == sees, f"{where}: export"
    search = {"q": str(obj)[:4]} if name in SEARCHED else {}
    ids = {item["id"] for item in api.get(f"/api/v1/{name}/", {"limit": 1000, **search}).json()["items"]}
    assert (obj.pk in ids) == sees, f"{where}: API list"
    assert api.get(f"/api/v1/{name}/{obj.pk}/").status_code == (200 if sees else 404), f"{where}: API detail"

    refused = 404 if computed or not sees else 403
    for action in ("edit", "delete"):
        assert page.get(f"{detail}{action}/").status_code == (200 if writes and not computed else refused), (
            f"{where}: {action} page"
        )
    if computed:
        assert api.patch(f"/api/v1/{name}/{obj.pk}/", {}, content_type="application/json").status_code == 405
        return
    _check_writes(name, obj, user, page, api, sees, writes, expected == "RW", where)


def _check_writes(
    name: str,
    obj: Any,
    user: Any,
    page: Client,
    api: Client,
    sees: bool,
    writes: bool,
    adds: bool,
    where: str,
) -> None:
    resource = REGISTRY[name]
    model = resource.model
    before = model._default_manager.count()
    payload = {
        key: value
        for key, value in model_to_dict(obj, fields=list(writable_fields(resource))).items()
        if value is not None
    }
    created = api.post(f"/api/v1/{name}/", payload, content_type="application/json")
    if writes and not adds:  # edits its own, founds none: refused, saying who may
        add_page = page.get(f"{_list_url(name)}add/")
        assert add_page.status_code == 403, f"{where}: add page"
        assert resource.add_refusal() in add_page.content.decode(), f"{where}: add page says who may"
        assert created.status_code in (403, 422), f"{where}: API create"
        assert model._default_manager.count() == before, f"{where}: created without the right"
    elif writes:
        assert page.get(f"{_list_url(name)}add/").status_code == 200, f"{where}: add page"
        # 409: the sample booking already holds the slot the copy asks for
        assert created.status_code in (201, 409, 422), f"{where}: API create {created.content[:200]!r}"
    else:
        assert created.status_code in (403, 422), f"{where}: API create"
        assert model._default_manager.count() == before, f"{where}: created without the right"

    patched = api.patch(f"/api/v1/{name}/{obj.pk}/", {}, content_type="application/json")
    assert patched.status_code != 422, f"{where}: {patched.content.decode()[:300]}"
    assert patched.status_code == (200 if writes else 403 if sees else 404), f"{where}: API change"
    if writes:
        deleted = api.delete(f"/api/v1/{name}/{obj.pk}/")
        assert deleted.status_code in (204, 409), f"{where}: API delete"
        if deleted.status_code == 409:  # others refer to it: the page says so and keeps it
            with pytest.raises(ProtectedError):
                type(obj).objects.get(pk=obj.pk).delete()
        return
    assert page.post(f"{obj.get_absolute_url()}delete/").status_code == (403 if sees else 404), (
        f"{where}: delete"
    )
    assert api.delete(f"/api/v1/{name}/{obj.pk}/").status_code == (403 if sees else 404), (
        f"{where}: API delete"
    )
    assert model._default_manager.filter(pk=obj.pk).exists()


# Derived views -----------------------------------------------------------------------------------------------


def _city_run() -> Any:
    return compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=AS_OF)[0]


def _sees_finding(user: Any) -> bool:
    run = _city_run()
    finding = run.findings.filter(subject_type="pairing", subject_id=the_pairing().pk).first()
    page = page_client(user).get(f"/policy/findings/{finding.pk}/").status_code
    listed = {
        f["id"]
        for f in api_client(user).get("/api/v1/findings/", {"run": run.pk, "limit": 1000}).json()["items"]
    }
    assert (page == 200) == (finding.pk in listed)
    return page == 200


def _run_access(user: Any, district: District | None) -> tuple[bool, bool]:
    """(sees the run's board showing the sample pairing or its district row, may start such a run)."""
    run = compliance_run(
        actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=AS_OF, district=district
    )[0]
    board = page_client(user).get(f"/policy/runs/{run.pk}/")
    listed = {r["id"] for r in api_client(user).get("/api/v1/runs/").json()["items"]}
    assert (board.status_code == 200) == (run.pk in listed)
    body = {"edition": "S1", "as_of": "2022-07-15", **({"district": district.code} if district else {})}
    started = api_client(user).post("/api/v1/runs/", body, content_type="application/json")
    assert started.status_code in (201, 403)
    return board.status_code == 200, started.status_code == 201


def _reminders(user: Any) -> bool:
    """The due items of the home page and the daily digest (the page shows the first of them)."""
    _city_run()
    return any(item.finding.subject_id == the_pairing().pk for item in reminders_for(user, limit=10_000))


def _home_counts(user: Any) -> bool:
    return '"code": "310113"' in page_client(user).get("/").content.decode()


def _cluster_report(user: Any) -> bool:
    response = page_client(user).get(f"/evaluation/clusters/{the_cluster().pk}/report.xlsx", {"year": 2024})
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _rotation_board(user: Any) -> bool:
    """The cluster's rotation board, as a page and as Excel: whoever sees the cluster."""
    url = f"/policy/rotation-boards/{the_cluster().pk}/"
    page = page_client(user)
    board, workbook = page.get(url).status_code, page.get(f"{url}board.xlsx").status_code
    listed = url in page.get("/policy/rotation-boards/").content.decode()
    assert board == workbook and board in (200, 404)
    assert listed == (board == 200) or the_cluster().model_status not in ("creating", "accredited")
    return board == 200


def _rotation_plan(user: Any) -> tuple[bool, bool]:
    """(opens the cluster's rotation plan and finds it listed, may plan the cluster)."""
    plan_record = RotationPlan.objects.get_or_create(
        cluster=the_cluster(),
        school_year=2025,
        label="权限样本",
        defaults={"status": "done", "result": {"clusters": [], "objective": 0, "seconds": 0}},
    )[0]
    page = page_client(user)
    status = page.get(plan_record.get_absolute_url()).status_code
    assert status in (200, 404)
    listed = (
        f'href="{plan_record.get_absolute_url()}"' in page.get("/policy/rotation-plans/").content.decode()
    )
    assert listed == (status == 200)
    return status == 200, may_plan(user, the_cluster())


def _teacher_record(user: Any) -> tuple[bool, bool]:
    """(opens the teacher's record page and its certificate, may change the teacher)."""
    teacher = the_teacher()
    page = page_client(user)
    record = page.get(f"/staffing/teachers/{teacher.pk}/record/").status_code
    certificate = page.get(f"/staffing/teachers/{teacher.pk}/certificate.docx").status_code
    assert record == certificate and record in (200, 404)
    return record == 200, Teacher.objects.restrict(user, Action.CHANGE).filter(pk=teacher.pk).exists()


def _recycle_bin(user: Any) -> bool:
    status = page_client(user).get("/audit/recycle-bin/").status_code
    assert status in (200, 404)
    return status == 200


def _roles(user: Any) -> bool:
    status = page_client(user).get("/accounts/roles/grant/").status_code
    assert status in (200, 403)
    assert page_client(user).get("/accounts/roles/").status_code == 200  # everyone sees its own roles
    return status == 200


def _dossier(user: Any) -> bool:
    """The sample application's dossier, as a page and as Word: whoever sees the application."""
    url = f"/policy/accreditations/{_accreditation().pk}/dossier"
    page = page_client(user)
    status = page.get(f"{url}/").status_code
    assert page.get(f"{url}.docx").status_code == status
    return status == 200


DERIVED = {
    "finding": lambda user: (_sees_finding(user), False),
    "city-run": lambda user: _run_access(user, None),
    "district-run": lambda user: _run_access(user, baoshan()),
    "reminders": lambda user: (_reminders(user), False),
    "home-counts": lambda user: (_home_counts(user), False),
    "cluster-report": lambda user: (_cluster_report(user), False),
    "rotation-board": lambda user: (_rotation_board(user), False),
    "rotation-plan": _rotation_plan,
    "teacher-record": _teacher_record,
    "recycle-bin": lambda user: (_recycle_bin(user), _recycle_bin(user)),
    "roles": lambda user: (_roles(user), _roles(user)),
    "accreditation-dossier": lambda user: (_dossier(user), False),
}


def test_every_derived_view_is_checked() -> None:
    assert set(DERIVED) == set(TABLE) - set(REGISTRY)


@pytest.mark.parametrize("column", ROLES)
@pytest.mark.parametrize("name", sorted(DERIVED))
def test_derived_view(name: str, column: str, world: None, make_user: Any) -> None:
    user = user_for(column, make_user)
    expected = cells(name)[column]
    sees, writes = DERIVED[name](user)
    assert (sees, writes) == (expected in ("R", "RW"), expected == "RW"), f"{name} as {column}"
