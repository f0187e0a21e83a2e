"""Resource balance (R-E2) and green indicators (R-B16): the seven indicators per student, their spread over a
district's or cluster's schools against the national method's limits, the change of a cluster's resources, the
imports, the rule and the page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from junheng.core.services import object_save
from junheng.evaluation.balance import totals_by_year, weighted_cv
from junheng.evaluation.models import GreenIndicatorRecord, ResourceRecord
from junheng.evaluation.selectors import resource_records_of, resource_spreads
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, ClusterMembership, District, School, SchoolYearCount
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition

from . import reference

PUBLISHED_VALUES = [6.20, 3.70, 10.51, 2.11, 7.31]
PUBLISHED_STUDENTS = [45, 37, 89, 76, 55]


def test_the_published_example_gives_0_515() -> None:
    assert round(weighted_cv(PUBLISHED_VALUES, PUBLISHED_STUDENTS) or 0, 3) == 0.515


@given(st.lists(st.tuples(st.floats(0.01, 1e4), st.integers(1, 3000)), min_size=2, max_size=30))
def test_weighted_cv_equals_the_reference_and_ignores_the_unit(schools: list[tuple[float, int]]) -> None:
    values, students = [v for v, _n in schools], [n for _v, n in schools]
    cv = weighted_cv(values, students)
    assert cv == pytest.approx(reference.weighted_cv(values, students), rel=1e-9, abs=1e-12)
    assert weighted_cv([v * 100 for v in values], students) == pytest.approx(cv, rel=1e-9, abs=1e-12)
    assert weighted_cv([values[0]] * len(values), students) == pytest.approx(0, abs=1e-12)


def test_one_school_or_a_zero_mean_has_no_spread() -> None:
    assert weighted_cv([5.0], [100]) is None
    assert weighted_cv([0.0, 0.0], [10, 20]) is None


pytestmark = pytest.mark.django_db


def record(school: School, year: int, **quantities: Any) -> ResourceRecord:
    values: dict[str, Any] = {
        "students": 100,
        "qualified_teachers": 5,
        "backbone_teachers": 1,
        "arts_pe_teachers": 1,
        "teaching_area": 500,
        "sports_area": 800,
        "equipment_value": 250000,
        "multimedia_classrooms": 3,
    }
    values.update(quantities)
    made = ResourceRecord(school=school, school_year=year, stage="primary", **values)
    object_save(actor=None, instance=made, check_scope=False)
    return made


@pytest.fixture
def published_cluster() -> Cluster:
    """Five primary schools of 黄浦 in one cluster, provided as in the published example (the value per student
    put on the equipment), every school with 5 m² of teaching area per student."""
    district = District.objects.get(code="310101")
    cluster = Cluster.objects.create(name="示例集团", kind="group", district=district)
    for number, (value, students) in enumerate(zip(PUBLISHED_VALUES, PUBLISHED_STUDENTS, strict=True)):
        school = School.objects.create(
            name=f"示例小学{number}", code=f"EX{number}", district=district, stage="primary"
        )
        ClusterMembership.objects.create(
            cluster=cluster,
            school=school,
            tier="weaker" if number else "quality",
            start_date=date(2023, 9, 1),
        )
        record(
            school,
            2024,
            students=students,
            teaching_area=5 * students,
            equipment_value=Decimal(str(value)) * students,
        )
    return cluster


def test_an_indicator_is_per_student_or_per_hundred_students() -> None:
    school = School.objects.filter(is_demo=True, stage="primary").first()
    made = record(school, 2030, students=45, qualified_teachers=9, teaching_area=900)
    assert made.indicator("qualified_teachers") == pytest.approx(
        20.0
    )  # 9 teachers for 45 students: 20 per 100
    assert made.indicator("teaching_area") == pytest.approx(20.0)  # 900 m² for 45 students


def test_the_clusters_spread_is_the_published_one_and_judged_by_the_editions_limit(
    published_cluster: Cluster,
) -> None:
    found = {s.indicator: s for s in resource_spreads(2024, clusters=[published_cluster])}
    assert found["equipment_value"].schools == 5
    assert round(found["equipment_value"].cv, 3) == 0.515
    assert found["equipment_value"].limit == Decimal("0.50") and found["equipment_value"].meets is False
    assert found["teaching_area"].cv == pytest.approx(0) and found["teaching_area"].meets is True


def test_the_rule_fails_a_cluster_over_the_limit_and_names_the_indicator(
    published_cluster: Cluster, municipal: Any
) -> None:
    _run, findings = compliance_run(
        actor=municipal,
        edition=PolicyEdition.objects.get(code="S2"),
        as_of=date(2025, 3, 1),
        district=published_cluster.district,
    )
    (finding,) = [f for f in findings if f.rule == "R-E2.a" and f.subject_id == published_cluster.pk]
    assert finding.status == "fail"
    assert finding.measured["over"] == ["primary equipment_value"]
    assert "生均教学仪器设备值" in finding.message and "0.45" in finding.message
    # the commission raises the limit: the same records now pass
    threshold = PolicyEdition.objects.get(code="S2").thresholds.get(key="R-E2.resource_cv_primary")
    threshold.value = Decimal("0.52")
    threshold.save()
    _run, findings = compliance_run(
        actor=municipal,
        edition=PolicyEdition.objects.get(code="S2"),
        as_of=date(2025, 3, 1),
        district=published_cluster.district,
    )
    (finding,) = [f for f in findings if f.rule == "R-E2.a" and f.subject_id == published_cluster.pk]
    assert finding.status == "pass"


def test_the_students_are_taken_from_the_yearly_count_when_left_empty() -> None:
    count = SchoolYearCount.objects.filter(school__is_demo=True, school__stage="junior").first()
    made = ResourceRecord(
        school=count.school,
        school_year=count.school_year,
        stage="junior",
        qualified_teachers=1,
        backbone_teachers=1,
        arts_pe_teachers=1,
        teaching_area=1,
        sports_area=1,
        equipment_value=1,
        multimedia_classrooms=1,
    )
    made.full_clean()
    assert made.students == count.junior_students > 0
    made.pk, made.school_year, made.students = None, 2031, None
    with pytest.raises(ValidationError, match="没有本学段的年度人数"):
        made.full_clean()
    made.stage = "primary"
    with pytest.raises(ValidationError, match="只有初中学段"):
        made.full_clean()


def test_a_clusters_resources_change_from_year_to_year(published_cluster: Cluster) -> None:
    first = published_cluster.memberships.first().school
    record(first, 2025, students=45, qualified_teachers=12, equipment_value=Decimal("300"))
    totals = totals_by_year(resource_records_of(published_cluster))
    assert [t.school_year for t in totals] == [2024, 2025]
    assert totals[0].change is None and totals[0].totals["qualified_teachers"] == 25
    assert totals[1].totals["qualified_teachers"] == 12 and totals[1].change["qualified_teachers"] == -13


def test_the_resources_import_names_row_and_column_and_saves_nothing_on_error(tmp_path: Path) -> None:
    header = (
        "学校代码,学年,学段,学生数,高于规定学历教师数,县级及以上骨干教师数,体育、艺术专任教师数,"
        "教学及辅助用房面积（平方米）,体育运动场馆面积（平方米）,教学仪器设备值（元）,网络多媒体教室数\n"
    )
    school = School.objects.filter(is_demo=True, stage="primary").exclude(code=None).first()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header
        + f"{school.code},2030,小学,400,20,4,5,2000,3000,800000,10\n"
        + f"{school.code},2030,高中,400,20,4,5,-1,3000,800000,10\n"
        + "NOPE,2030,小学,,20,4,5,2000,3000,800000,10\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "resources", str(bad))
    message = str(failed.value)
    assert "第3行，“学段”列：“高中”不是以下之一：小学、初中" in message
    assert "第3行，“教学及辅助用房面积（平方米）”列：“-1”不是数字" in message
    assert "第4行，“学校代码”列" in message
    assert not ResourceRecord.objects.filter(school_year=2030).exists()
    good = tmp_path / "good.csv"
    good.write_text(
        header + f"{school.code},2030,小学,400,20,4,5,2000,3000,800000,10\n", encoding="utf-8-sig"
    )
    call_command("import", "resources", str(good))
    saved = ResourceRecord.objects.get(school_year=2030)
    assert saved.indicator("qualified_teachers") == pytest.approx(5.0)
    assert saved.indicator("equipment_value") == pytest.approx(2000.0)


def test_green_indicators_are_imported_on_the_1_to_9_scale(tmp_path: Path) -> None:
    school = School.objects.filter(is_demo=True).exclude(code=None).first()
    sheet = tmp_path / "green.csv"
    header = "学校代码,年份,学生学业水平指数,学生学习动力指数,学生学业负担指数,跨年度进步指数\n"
    sheet.write_text(header + f"{school.code},2030,7.5,9.5,6,\n", encoding="utf-8-sig")
    with pytest.raises(CommandError, match="第2行，“学生学习动力指数”列：指数取值 1–9"):
        call_command("import", "green-indicators", str(sheet))
    sheet.write_text(header + f"{school.code},2030,7.5,8,6,\n", encoding="utf-8-sig")
    call_command("import", "green-indicators", str(sheet))
    saved = GreenIndicatorRecord.objects.get(school=school, year=2030)
    assert (saved.achievement, saved.motivation, saved.burden, saved.progress) == (
        Decimal("7.5"),
        Decimal("8.0"),
        Decimal("6.0"),
        None,
    )


def test_the_page_shows_the_spreads_of_the_users_districts_and_clusters(
    published_cluster: Cluster, make_user: Any
) -> None:
    other = District.objects.get(code="310104")
    other_cluster = Cluster.objects.create(name="别区集团", kind="group", district=other)
    for number in range(2):
        school = School.objects.create(
            name=f"别区小学{number}", code=f"OT{number}", district=other, stage="primary"
        )
        ClusterMembership.objects.create(
            cluster=other_cluster, school=school, tier="quality", start_date=date(2023, 9, 1)
        )
        record(school, 2024, qualified_teachers=5 + 5 * number)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, published_cluster.district))
    page = client.get("/evaluation/resources/", {"school_year": 2024}).content.decode()
    table = page.split('id="resource-spreads"')[1]
    assert "示例集团" in table and "0.515" in table and "别区集团" not in table
    page = client.get("/evaluation/resources/", {"school_year": 2024, "cluster": other_cluster.pk})
    assert 'id="resource-totals"' not in page.content.decode()  # another district's cluster shows nothing
    page = client.get("/evaluation/resources/", {"school_year": 2024, "cluster": published_cluster.pk})
    assert 'id="resource-totals"' in page.content.decode()
