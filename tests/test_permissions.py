"""The permission matrix (R-F1): every registered model × every way of reaching it × anonymous, no role,
read-only, editor and another district. Out of scope answers exactly like missing: 404."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

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
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, Institution, School
from junheng.policy.models import PolicyEdition, Threshold
from junheng.programmes.models import (
    BaselineAssessment,
    CaseStudy,
    DevelopmentRecord,
    Evaluation,
    ExpertEngagement,
    FundAllocation,
    Interaction,
    Pairing,
    ProgrammeRound,
    ResidentAssignment,
    ReviewEvent,
    ServiceRecord,
    Spending,
    SubjectDocking,
    ThreeYearPlan,
    TransparencyReport,
)

# A record of each kind of a pairing's work, for 月浦中心校 (宝山) ← 杨浦小学.
WORK_RECORDS = {
    "experts": lambda p: ExpertEngagement.objects.create(
        pairing=p, name="专家甲", role="expert", start_date=date(2021, 3, 1)
    ),
    "subject-dockings": lambda p: SubjectDocking.objects.create(
        pairing=p,
        subject="数学",
        supported_group="数学教研组",
        supporting_contact="杨浦小学数学组",
        started_on=date(2021, 3, 1),
    ),
    "service-records": lambda p: ServiceRecord.objects.create(
        pairing=p, teacher_name="支教教师乙", start_date=date(2021, 3, 1), hours=120
    ),
    "development-records": lambda p: DevelopmentRecord.objects.create(
        pairing=p,
        kind="mentoring",
        teacher_name="青年教师丙",
        mentor_name="导师丁",
        start_date=date(2021, 3, 1),
    ),
    "spending": lambda p: Spending.objects.create(
        pairing=p, date=date(2021, 4, 1), amount=1200, category="training", purpose="月浦中心校教师培训"
    ),
    "cases": lambda p: CaseStudy.objects.create(
        pairing=p, title="月浦中心校的变化", summary="摘要", body="正文"
    ),
    "residents": lambda p: ResidentAssignment.objects.create(
        pairing=p, person_name="甲", role="manager", start_date=date(2021, 3, 1)
    ),
    "interactions": lambda p: Interaction.objects.create(
        pairing=p, date=date(2021, 3, 5), kind="on_site", subjects="数学"
    ),
    "baselines": lambda p: BaselineAssessment.objects.create(
        pairing=p, assessed_on=date(2021, 1, 5), key_problems="课程领导力不足"
    ),
    "plans": lambda p: ThreeYearPlan.objects.create(pairing=p, title="月浦中心校三年规划"),
    "evaluations": lambda p: Evaluation.objects.create(
        pairing=p, kind="mid_term", completed_on=date(2022, 6, 1), conclusion="中期评估结论"
    ),
}

# What shows an object in its list's export, where its name is not the text of one cell.
EXPORTED_AS = {
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
}

# Policy is read by every role and changed only by the municipal commission.
MUNICIPAL_ONLY = {"editions", "thresholds", "transparency-reports"}


def sample(resource_name: str) -> tuple[Any, District]:
    """An object of the resource and the district whose bureau is responsible for it."""
    if resource_name == "districts":
        district = District.objects.get(code="310113")
        return district, district
    if resource_name == "schools":
        school = School.objects.get(name="月浦中心校")
        return school, school.district
    if resource_name == "institutions":
        institution = Institution.objects.get(name="上海名师培训中心")
        return institution, institution.district
    if resource_name == "clusters":
        cluster = Cluster.objects.filter(district__code="310113").first()
        return cluster, cluster.district
    if resource_name == "pairings":
        pairing = Pairing.objects.get(kind="entrusted", sequence=1)
        return pairing, pairing.supported_school.district
    if resource_name in WORK_RECORDS:
        pairing = Pairing.objects.get(kind="entrusted", sequence=1)
        return WORK_RECORDS[resource_name](pairing), pairing.supported_school.district
    if resource_name == "review-events":
        district = District.objects.get(code="310113")
        event = ReviewEvent.objects.create(
            round=ProgrammeRound.objects.get(),
            district=district,
            kind="half_year_summary",
            date=date(2021, 6, 1),
            title="宝山区总结",
        )
        return event, district
    if resource_name == "fund-allocations":
        district = District.objects.get(code="310113")
        allocation = FundAllocation.objects.create(
            round=ProgrammeRound.objects.get(),
            district=district,
            year=2021,
            amount=500000,
            document_number="宝山拨款文号",
        )
        return allocation, district
    if resource_name == "transparency-reports":
        return TransparencyReport.objects.create(
            round=ProgrammeRound.objects.get(), year=2021, note="2021年经费公开"
        ), (District.objects.get(code="310113"))
    if resource_name == "editions":
        return PolicyEdition.objects.get(code="S1"), District.objects.get(code="310113")
    if resource_name == "thresholds":
        return Threshold.objects.get(edition__code="S1", key="R-B3.resident_staff"), District.objects.get(
            code="310113"
        )
    if resource_name in EVALUATION_RECORDS:
        return EVALUATION_RECORDS[resource_name](), District.objects.get(code="310113")
    raise AssertionError(f"add {resource_name} to the permission matrix")


def _baoshan_cluster() -> Cluster:
    return Cluster.objects.filter(district__code="310113").first()


def _baoshan_form() -> AppraisalForm:
    form, _created = AppraisalForm.objects.get_or_create(
        district=District.objects.get(code="310113"), year=2024, name="宝山区校长考评"
    )
    return form


def _baoshan_item() -> AppraisalItem:
    item, _created = AppraisalItem.objects.get_or_create(
        form=_baoshan_form(), name="学区集团工作", defaults={"weight": 50, "cluster_work": True}
    )
    return item


def _baoshan_appraisal() -> PrincipalAppraisal:
    item = _baoshan_item()
    return PrincipalAppraisal.objects.create(
        form=item.form,
        school=School.objects.get(name="月浦中心校"),
        principal_name="月浦校长",
        scores={str(item.pk): 90},
    )


# The evaluation's records and results, of 月浦中心校 (宝山), 宝山 or one of its clusters.
EVALUATION_RECORDS = {
    "resource-records": lambda: ResourceRecord.objects.create(
        school=School.objects.get(name="月浦中心校"),
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
    "green-indicators": lambda: GreenIndicatorRecord.objects.create(
        school=School.objects.get(name="月浦中心校"), year=2024, achievement=7
    ),
    "school-results": lambda: SchoolResult.objects.create(
        year=2024,
        school=School.objects.get(name="月浦中心校"),
        subject="数学",
        students=80,
        mean=75,
        pass_share=0.9,
    ),
    "district-results": lambda: DistrictResult.objects.create(
        year=2024,
        district=District.objects.get(code="310113"),
        stage="primary",
        subject="数学",
        schools=10,
        students=900,
        pass_share=0.85,
    ),
    "cluster-results": lambda: ClusterResult.objects.create(
        year=2024,
        cluster=_baoshan_cluster(),
        stage="primary",
        subject="数学",
        schools=4,
        students=400,
        pass_share=0.9,
        meets_model_standard=False,
    ),
    "appraisal-forms": _baoshan_form,
    "appraisal-items": _baoshan_item,
    "principal-appraisals": _baoshan_appraisal,
    "surveys": lambda: _baoshan_survey(),
    "survey-questions": lambda: SurveyQuestion.objects.create(survey=_baoshan_survey(), text="对学校满意吗"),
}


def _baoshan_survey() -> Survey:
    survey, _created = Survey.objects.get_or_create(
        district=District.objects.get(code="310113"), year=2025, title="宝山家长满意度", audience="parents"
    )
    return survey


OTHER_DISTRICT = "310105"  # 长宁: no part in any sample above

# who → (sees it, may edit it); the district bureau does not edit the district record itself.
EXPECTED = {
    "anonymous": (False, False),
    "no_role": (False, False),
    "read_only": (True, False),
    "editor": (True, True),
    "other_district": (False, False),
}


def user_for(who: str, district: District, make_user: Any) -> Any:
    if who == "anonymous":
        return None
    if who == "no_role":
        return make_user()
    if who == "other_district":
        return make_user(Role.DISTRICT_BUREAU, District.objects.get(code=OTHER_DISTRICT), can_edit=True)
    return make_user(Role.DISTRICT_BUREAU, district, can_edit=(who == "editor"))


def test_every_registered_resource_is_in_the_matrix(db: Any) -> None:
    for name in REGISTRY:
        assert sample(name)[0] is not None


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("resource_name", sorted(REGISTRY))
def test_permission_matrix(resource_name: str, who: str, make_user: Any) -> None:
    resource = REGISTRY[resource_name]
    obj, district = sample(resource_name)
    user = user_for(who, district, make_user)
    sees, edits = EXPECTED[who]
    if resource_name in ("districts", "fund-allocations") and who == "editor":
        edits = False  # only the municipal commission edits districts and allocates funds
    if resource_name in MUNICIPAL_ONLY:
        sees, edits = who in ("read_only", "editor", "other_district"), False
    computed = resource.form is None  # results a command computes: no edit or delete pages at all
    app = resource.model._meta.app_label
    client = Client()
    if user is not None:
        client.force_login(user)

    prefix = {
        "organisations": "registry",
        "programmes": "programmes",
        "policy": "policy",
        "evaluation": "evaluation",
    }[app]
    pages = {"list": f"/{prefix}/{resource_name}/"}
    detail = obj.get_absolute_url()
    if user is None:
        assert client.get(pages["list"]).status_code == 302  # to the login page
        assert client.get(detail).status_code == 302
        assert Client().get(f"/api/v1/{resource_name}/").status_code == 401
        return

    searchable = resource_name in (
        "districts",
        "schools",
        "institutions",
        "clusters",
    )  # long lists: narrow them
    listing = client.get(pages["list"], {"q": str(obj)[:4]} if searchable else {})
    assert listing.status_code == 200
    assert (f'href="{detail}"' in listing.content.decode()) == sees

    assert client.get(detail).status_code == (200 if sees else 404)
    assert client.get(f"{detail}history/").status_code == (200 if sees else 404)
    edit_status = client.get(f"{detail}edit/").status_code
    assert edit_status == (404 if computed else 200 if edits else 403 if sees else 404)
    assert client.get(f"{detail}delete/").status_code == (
        404 if computed else 200 if edits else 403 if sees else 404
    )
    if not edits or computed:
        assert client.post(f"{detail}delete/").status_code == (404 if computed else 403 if sees else 404)
        assert resource.model._default_manager.filter(pk=obj.pk).exists()

    export = client.get(pages["list"], {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    exported = {str(value) for row in sheet.iter_rows(min_row=2, values_only=True) for value in row}
    assert (EXPORTED_AS.get(resource_name, str)(obj) in exported) == sees

    token = ApiToken.objects.issue(user)
    api = Client(headers={"authorization": f"Bearer {token}"})
    ids = {item["id"] for item in api.get(f"/api/v1/{resource_name}/", {"limit": 1000}).json()["items"]}
    assert (obj.pk in ids) == sees
    assert api.get(f"/api/v1/{resource_name}/{obj.pk}/").status_code == (200 if sees else 404)
    assert api.get(f"/api/v1/{resource_name}/{10**9}/").status_code == 404
