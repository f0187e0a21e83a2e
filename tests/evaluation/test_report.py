"""The cluster evaluation report (R-E2) in Word, PDF and Excel: its eight sections hold what the platform holds for
the cluster, from the page within the user's scope and from `junheng report cluster ID`."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from junheng.demo.evaluation import demo_appraisals_build, demo_balance_build, demo_surveys_build
from junheng.demo.results import demo_results_build
from junheng.evaluation.models import ClusterResult, PrincipalAppraisal, SchoolResult
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District

pytestmark = pytest.mark.django_db

SECTIONS = [
    "一、基本情况",
    "二、优质资源总量增减",
    "三、校际教育差距变化",
    "四、牵头学校辐射带动",
    "五、成员学校融入提升",
    "六、学生和家长满意度",
    "七、绿色指标",
    "八、校长考评",
]


@pytest.fixture
def cluster(settings: Any, tmp_path: Path) -> Cluster:
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_results_build()
    demo_balance_build()
    demo_appraisals_build()
    demo_surveys_build()
    return Cluster.objects.filter(is_demo=True, district__code="310101", lead_school__isnull=False).first()


def test_the_word_report_holds_the_eight_sections_with_the_clusters_numbers(
    cluster: Cluster, tmp_path: Path
) -> None:
    out = tmp_path / "report.docx"
    call_command("report", "cluster", str(cluster.pk), "--format", "docx", "--output", str(out))
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == SECTIONS
    assert document.paragraphs[0].text == f"{cluster.name} 评价报告"
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    for result in ClusterResult.objects.filter(cluster=cluster, year=2024):
        assert f"{result.between_school_share:.3f}" in cells
    for appraisal in PrincipalAppraisal.objects.filter(school__cluster_memberships__cluster=cluster):
        assert appraisal.principal_name in cells and f"{appraisal.total:.2f}" in cells
    assert len(document.inline_shapes) >= 4  # resource spreads (two stages), gaps, value added, satisfaction


def test_the_lead_schools_gap_is_its_mean_less_the_other_members_weighted_mean(
    cluster: Cluster, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    call_command("report", "cluster", str(cluster.pk), "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SECTIONS
    rows = list(book["四、牵头学校辐射带动"].iter_rows(values_only=True))
    header = rows.index(("学科", "牵头学校平均分", "本年差距", "上年差距", "差距变化"))
    members = cluster.members_on(date(2024, 6, 30))
    for subject, lead_mean, gap, *_rest in rows[header + 1 :]:
        results = SchoolResult.objects.filter(year=2024, subject=subject, school__in=members)
        lead = results.get(school=cluster.lead_school)
        others = results.exclude(school=cluster.lead_school)
        weighted = sum(r.mean * r.students for r in others) / sum(r.students for r in others)
        assert float(lead_mean) == pytest.approx(lead.mean, abs=0.05)
        assert float(gap) == pytest.approx(lead.mean - weighted, abs=0.05)


def test_the_page_gives_the_report_within_the_users_scope(cluster: Cluster, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, cluster.district))
    page = client.get("/evaluation/clusters/", {"year": 2024, "cluster": cluster.pk}).content.decode()
    link = f'href="/evaluation/clusters/{cluster.pk}/report.pdf?year=2024" data-download data-busy="正在生成报告…"'
    assert link in page  # a spinner says the report is being written (static/junheng/download.js)
    response = client.get(f"/evaluation/clusters/{cluster.pk}/report.pdf", {"year": 2024})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    name = quote(f"{cluster.name}-2024-评价报告.pdf")  # e.g. 黄浦演示学区2-2024-评价报告.pdf
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"cluster-{cluster.pk}-2024.pdf\"; filename*=UTF-8''{name}"
    )
    assert len(response.content) > 100_000  # the Chinese font and the charts are embedded
    other = Client()
    other.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310104")))
    assert other.get(f"/evaluation/clusters/{cluster.pk}/report.pdf").status_code == 404
    assert other.get(f"/evaluation/clusters/{cluster.pk}/report.docx").status_code == 404


def test_a_member_school_reads_only_its_own_records_in_the_report(cluster: Cluster, make_user: Any) -> None:
    school = cluster.members_on(date(2024, 6, 30)).exclude(pk=cluster.lead_school_id).first()
    client = Client()
    client.force_login(make_user(Role.SCHOOL, school))
    response = client.get(f"/evaluation/clusters/{cluster.pk}/report.xlsx", {"year": 2024})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    appraised = [row[0] for row in book["八、校长考评"].iter_rows(min_row=4, values_only=True) if row[0]]
    assert appraised == [school.name]
    rows = list(book["五、成员学校融入提升"].iter_rows(values_only=True))
    header = max(n for n, row in enumerate(rows) if row[0] == "学校")  # the results' table, after the inflow
    improvement = {row[0] for row in rows[header + 1 :] if row[0]}
    assert improvement == {school.name}
    gaps = list(book["三、校际教育差距变化"].iter_rows(values_only=True))
    assert len(gaps) > 3  # the cluster's own figures stay whole
