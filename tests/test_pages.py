"""List, detail and home pages: filters, sorting, paging, Excel export, language, and a fixed number of
database queries however many rows there are."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from junheng.core.resources import REGISTRY
from junheng.core.services import object_save
from junheng.evaluation.models import (
    AppraisalForm,
    AppraisalItem,
    ClusterResult,
    DistrictResult,
    GreenIndicatorRecord,
    PrincipalAppraisal,
    ResourceRecord,
    SchoolResult,
)
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, District, Membership, School
from junheng.programmes.models import (
    BaselineAssessment,
    CaseStudy,
    DevelopmentRecord,
    Evaluation,
    ExpertEngagement,
    FundAllocation,
    Interaction,
    Pairing,
    ResidentAssignment,
    ReviewEvent,
    ServiceRecord,
    Spending,
    SubjectDocking,
    ThreeYearPlan,
    TransparencyReport,
)
from junheng.staffing.models import (
    EligibilityExclusion,
    Rotation,
    RotationAppraisal,
    StaffingPlan,
    Teacher,
)

pytestmark = pytest.mark.django_db

# A search that leaves a few rows of each list, to compare with the whole list.
FEW = {
    "districts": "浦",
    "schools": "第1",
    "institutions": "中心",
    "clusters": "1",
    "pairings": "小学",
    "editions": "S1",
    "thresholds": "R-B",
    "residents": "甲",
    "interactions": "数学",
    "baselines": "课程",
    "plans": "甲",
    "evaluations": "甲",
    "review-events": "甲",
    "spending": "甲",
    "fund-allocations": "甲",
    "cases": "甲",
    "transparency-reports": "甲",
    "experts": "甲",
    "subject-dockings": "甲",
    "service-records": "甲",
    "development-records": "甲",
    "resource-records": "第1",
    "green-indicators": "第1",
    "school-results": "第1",
    "district-results": "浦",
    "cluster-results": "1",
    "appraisal-forms": "黄浦",
    "appraisal-items": "甲",
    "principal-appraisals": "甲",
    "surveys": "甲",
    "survey-questions": "甲",
    "teachers": "王",
    "employments": "王",
    "eligibility-exclusions": "甲",
    "rotations": "甲",
    "rotation-appraisals": "甲",
    "staffing-plans": "1",
    "rotation-needs": "数学",
    "accreditations": "1",
    "cluster-memberships": "1",
    "school-year-counts": "第1",
    "governance-documents": "章程",
    "work-meetings": "会",
    "membership-changes": "1",
    **dict.fromkeys(
        SHARING_PAGES := (
            "facilities",
            "bookings",
            "shared-courses",
            "students",
            "enrolment-rounds",
            "course-applications",
            "course-enrolments",
        ),
        "甲",
    ),
    **dict.fromkeys(LIBRARY_PAGES := ("library-resources", "resource-versions", "resource-ratings"), "甲"),
    **dict.fromkeys(
        CULTURE_PAGES := ("cluster-cultures", "cluster-events", "event-participants", "event-photos"), "甲"
    ),
    **dict.fromkeys(
        (
            "research-settings",
            "research-activities",
            "research-participants",
            "research-evidence",
            "guidance-team",
            "supervisory-visits",
            "follow-up-actions",
            "probations",
        ),
        "甲",
    ),
}
LIST_PAGES = {
    **{name: f"/sharing/{name}/" for name in (*LIBRARY_PAGES, *CULTURE_PAGES, *SHARING_PAGES)},
    "districts": "/registry/districts/",
    "schools": "/registry/schools/",
    "institutions": "/registry/institutions/",
    "clusters": "/registry/clusters/",
    "pairings": "/programmes/pairings/",
    "editions": "/policy/editions/",
    "thresholds": "/policy/thresholds/",
    "rotation-needs": "/policy/rotation-needs/",
    "accreditations": "/policy/accreditations/",
    **{
        name: f"/registry/{name}/"
        for name in (
            "cluster-memberships",
            "school-year-counts",
            "governance-documents",
            "work-meetings",
            "membership-changes",
        )
    },
    **{
        name: f"/programmes/{name}/"
        for name in (
            "residents",
            "interactions",
            "baselines",
            "plans",
            "evaluations",
            "review-events",
            "spending",
            "fund-allocations",
            "cases",
            "transparency-reports",
            "experts",
            "subject-dockings",
            "service-records",
            "development-records",
        )
    },
    **{
        name: f"/evaluation/{name}/"
        for name in (
            "resource-records",
            "green-indicators",
            "school-results",
            "district-results",
            "cluster-results",
            "appraisal-forms",
            "appraisal-items",
            "principal-appraisals",
            "surveys",
            "survey-questions",
        )
    },
    **{
        name: f"/staffing/{name}/"
        for name in (
            "teachers",
            "employments",
            "eligibility-exclusions",
            "rotations",
            "rotation-appraisals",
            "staffing-plans",
        )
    },
    # Joint research, guidance and probation
    **{
        name: f"/sharing/{name}/"
        for name in (
            "research-settings",
            "research-activities",
            "research-participants",
            "research-evidence",
            "guidance-team",
            "supervisory-visits",
            "follow-up-actions",
            "probations",
        )
    },
}


@pytest.fixture
def some_work() -> None:
    """A record of each kind of work on each of six pairings, half of them named 甲 or about 数学."""
    for index, pairing in enumerate(Pairing.objects.order_by("pk")[:6]):
        mark = "甲" if index % 2 else "乙"
        ResidentAssignment.objects.create(
            pairing=pairing, person_name=mark, role="manager", start_date="2021-03-01"
        )
        Interaction.objects.create(
            pairing=pairing, date="2021-03-05", kind="on_site", subjects="数学" if index % 2 else "语文"
        )
        BaselineAssessment.objects.create(
            pairing=pairing, assessed_on="2021-01-05", key_problems="课程" if index % 2 else "师资"
        )
        ThreeYearPlan.objects.create(pairing=pairing, title=f"{mark}规划")
        Evaluation.objects.create(
            pairing=pairing, kind="mid_term", completed_on="2022-06-01", conclusion=mark
        )
        ReviewEvent.objects.create(
            round=pairing.round,
            district=pairing.supported_school.district,
            kind="site_meeting",
            date="2021-11-01",
            title=f"{mark}现场会",
        )
        Spending.objects.create(
            pairing=pairing, date="2021-04-01", amount=100, category="other", purpose=mark
        )
        CaseStudy.objects.create(pairing=pairing, title=f"{mark}案例", summary=mark, body=mark)
        FundAllocation.objects.create(
            round=pairing.round,
            district=pairing.supported_school.district,
            year=2021 + index,
            amount=1,
            document_number=mark,
        )
        TransparencyReport.objects.create(round=pairing.round, year=2021 + index, note=mark)
        ExpertEngagement.objects.create(pairing=pairing, name=mark, role="expert", start_date="2021-03-01")
        SubjectDocking.objects.create(
            pairing=pairing,
            subject=mark,
            supported_group=mark,
            supporting_contact=mark,
            started_on="2021-03-01",
        )
        ServiceRecord.objects.create(pairing=pairing, teacher_name=mark, start_date="2021-03-01")
        DevelopmentRecord.objects.create(
            pairing=pairing, kind="mentoring", teacher_name=mark, start_date="2021-03-01"
        )
    for index, cluster in enumerate(
        Cluster.objects.filter(is_demo=True)[:6]
    ):  # 学区2, 教育集团1 of 3 districts
        mark = "甲" if index % 2 else "乙"
        school = cluster.memberships.select_related("school").first().school
        ResourceRecord.objects.create(
            school=school,
            school_year=2024,
            stage="junior" if school.stage == "junior" else "primary",
            students=500,
            qualified_teachers=30,
            backbone_teachers=6,
            arts_pe_teachers=5,
            teaching_area=2500,
            sports_area=4000,
            equipment_value=1200000,
            multimedia_classrooms=12,
        )
        GreenIndicatorRecord.objects.create(school=school, year=2024, achievement=7)
        form, _created = AppraisalForm.objects.get_or_create(
            district=school.district, year=2024, name=f"{school.district.short_name}考评"
        )
        item = AppraisalItem.objects.create(form=form, name=f"{mark}项{cluster.pk}", weight=1)
        PrincipalAppraisal.objects.create(
            form=form, school=school, principal_name=mark, scores={str(item.pk): 1}
        )
        SchoolResult.objects.create(
            year=2024, school=school, subject="数学", students=80, mean=75, pass_share=0.9
        )
        DistrictResult.objects.get_or_create(
            year=2024,
            district=school.district,
            stage="primary",
            subject="数学",
            defaults={"schools": 9, "students": 900, "pass_share": 0.85},
        )
        ClusterResult.objects.get_or_create(
            year=2024,
            cluster=cluster,
            stage="primary",
            subject="数学",
            defaults={"schools": 4, "students": 400, "pass_share": 0.9, "meets_model_standard": False},
        )
        schools = [m.school for m in cluster.memberships.select_related("school")]
        teacher = Teacher.objects.filter(employer=schools[0]).order_by("pk").first()
        rotation = Rotation.objects.create(
            teacher=teacher,
            kind="exchange",
            from_school=schools[0],
            host=schools[1],
            start_date="2024-09-01",
            planned_end="2027-08-31",
            team=mark,
        )
        RotationAppraisal.objects.create(
            rotation=rotation, school_year=2024, rating="good", appraised_on="2025-07-01", note=mark
        )
        EligibilityExclusion.objects.create(teacher=teacher, school_year=2024, reason=mark)
        StaffingPlan.objects.create(cluster=cluster, school_year=2024)


@pytest.fixture
def client(municipal: Any) -> Client:
    client = Client()
    client.force_login(municipal)
    return client


def queries(client: Client, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_every_resource_has_a_list_page() -> None:
    assert set(LIST_PAGES) == set(REGISTRY)


def test_filter_sort_and_page_the_school_list(client: Client) -> None:
    page = client.get("/registry/schools/", {"district": "310113", "sort": "-name"}).content.decode()
    names = [s.name for s in School.objects.filter(district__code="310113").order_by("-name")]
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)  # shown in the requested order
    assert "长宁" not in page.split("<tbody")[1]
    total = School.objects.count()
    second = client.get("/registry/schools/", {"page": 2}).content.decode()
    assert f"{total} 条记录" in second


def test_an_invalid_filter_says_so_and_lists_nothing(client: Client) -> None:
    page = client.get("/registry/schools/", {"district": "999999"}).content.decode()
    assert "选择一个有效的选项" in page
    assert "0 条记录" in page


def test_excel_export_uses_the_filters_and_the_columns_of_the_page(client: Client) -> None:
    response = client.get(
        "/programmes/pairings/", {"kind": "mutual_growth", "supported_district": "310116", "export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("类型", "序号", "受援区", "受援学校", "支援区", "支援单位", "项目名称")
    assert [r[1] for r in rows[1:]] == [13, 14, 15, 16, 17]  # 金山区 rows of part 二
    assert {r[0] for r in rows[1:]} == {"互助成长项目"}
    assert rows[2][5] == "徐汇区高安路第一小学"


@pytest.mark.parametrize("name", list(LIST_PAGES))
def test_list_queries_do_not_grow_with_rows(client: Client, name: str, some_work: None) -> None:
    few = queries(client, LIST_PAGES[name], q=FEW[name])
    many = queries(client, LIST_PAGES[name])
    assert many == few


def test_detail_queries_do_not_grow_with_rows(client: Client) -> None:
    cluster = Cluster.objects.filter(is_demo=True).first()
    district = cluster.district
    before = (
        queries(client, f"/registry/clusters/{cluster.pk}/"),
        queries(client, f"/registry/districts/{district.pk}/"),
    )
    for number in range(15):
        school = School.objects.create(name=f"新增学校{number}", district=district)
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier="weaker", start_date="2024-09-01"
        )
    after = (
        queries(client, f"/registry/clusters/{cluster.pk}/"),
        queries(client, f"/registry/districts/{district.pk}/"),
    )
    assert after == before


def test_home_counts_by_district_within_scope(make_user: Any) -> None:
    user = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310120"))
    client = Client()
    client.force_login(user)
    page = client.get("/").content.decode()
    schools = School.objects.filter(district__code="310120").count()
    assert f'data-total="schools">{schools}<' in page
    assert (
        'data-total="pairings">17<' in page
    )  # 奉贤区 receives 12 entrusted (20–31) and 5 mutual-growth (21–25)
    assert "黄浦区" not in page.split('id="district-rows"')[1]


def test_the_commission_sees_the_city_as_a_chart(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.MUNICIPAL))
    page = client.get("/").content.decode()
    assert 'id="district-chart"' in page and "echarts.min.js" in page
    assert page.split('id="district-rows"')[1].count('"code"') == 16


def test_home_queries_do_not_grow_with_districts(make_user: Any) -> None:
    one = Client()
    one.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310120")))
    three = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310101"))
    for code in ("310104", "310113"):
        object_save(
            actor=None,
            instance=Membership(
                user=three, role=Role.DISTRICT_BUREAU, district=District.objects.get(code=code)
            ),
            check_scope=False,
        )
    every = Client()
    every.force_login(three)
    assert queries(one, "/") == queries(every, "/")


def test_chinese_by_default_english_on_request(client: Client) -> None:
    assert "学校" in client.get("/registry/schools/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/registry/schools/").content.decode()
    assert "Export Excel" in page and "导出 Excel" not in page


def test_login_is_required_everywhere() -> None:
    for url in [*LIST_PAGES.values(), "/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
