"""The cluster evaluation report (R-E2) counts the teachers who moved in the school year of the monitoring: the
lead school's rotations out (its reach) and the inflow into the cluster's weaker schools (the members'
integration), filed rotations only — in Excel, Word and PDF, and on the evaluation page."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import openpyxl
import pytest
from django.test import Client
from django.utils.translation import gettext as _

from junheng.evaluation.cluster_report import cluster_report, teacher_flow_figures
from junheng.evaluation.models import ClusterResult
from junheng.evaluation.rendering import RENDERERS
from junheng.organisations.choices import Role, Stage, Tier
from tests.policy.test_rules_s2_flow import Flow

pytestmark = pytest.mark.django_db

YEAR = 2025  # monitoring year 2025: results of 30 June 2025, school year 2024-2025


@pytest.fixture
def flow() -> Flow:
    """The lead (quality) school sends a backbone teacher to the weaker junior school and a teacher to a school
    outside the cluster; a teacher agreed but not filed, and one of the year before, do not count; the weaker
    primary school receives a teacher from outside the cluster."""
    flow = Flow("评价流动")
    flow.cluster.lead_school = flow.quality
    flow.cluster.save()
    outside = Flow("外集团")
    lead = flow.staff(flow.quality, 5)
    lead[0].backbone_tier = "municipal_leader"
    lead[0].save()
    flow.rotate(lead[0], flow.weaker, start=date(2024, 9, 1))
    flow.rotate(lead[1], outside.weaker, start=date(2024, 10, 1))
    flow.rotate(lead[2], flow.weaker, start=date(2024, 9, 1), status="agreed")
    flow.rotate(lead[3], flow.weaker, start=date(2023, 9, 1))
    stranger = outside.staff(outside.quality, 1)[0]
    flow.rotate(stranger, flow.weaker_primary, start=date(2025, 2, 1))
    flow.outside = outside  # type: ignore[attr-defined]
    return flow


def test_the_figures_count_filed_rotations_of_the_year(flow: Flow) -> None:
    figures = teacher_flow_figures(flow.cluster, YEAR)
    assert figures.school_year == "2024-2025"
    assert figures.lead_out == (2, 1) and figures.lead_into_weaker == (1, 1)
    hosts = {row[0]: row[1:] for row in figures.by_host}
    assert hosts == {
        flow.weaker.name: [str(Tier.WEAKER.label), 1, 1],
        flow.outside.weaker.name: [_("outside the cluster"), 1, 0],  # type: ignore[attr-defined]
    }
    assert figures.into_weaker == (2, 1)
    weaker = {row[0]: row[1:] for row in figures.by_weaker}
    assert weaker == {flow.weaker.name: [1, 1, 1, 1], flow.weaker_primary.name: [1, 0, 0, 0]}


def test_every_format_carries_the_rotations(flow: Flow) -> None:
    report = cluster_report(flow.cluster, YEAR)
    book = openpyxl.load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    reach = list(book.worksheets[3].iter_rows(values_only=True))
    assert any(row[0] == flow.weaker.name and row[2:4] == (1, 1) for row in reach)
    integration = list(book.worksheets[4].iter_rows(values_only=True))
    assert any(row[0] == flow.weaker_primary.name and row[1:5] == (1, 0, 0, 0) for row in integration)
    document = docx.Document(io.BytesIO(RENDERERS["docx"](report)))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert [flow.weaker.name, "1", "1", "1", "1"] in cells
    assert RENDERERS["pdf"](report).startswith(b"%PDF-")


def test_a_member_school_sees_the_cluster_totals_and_only_its_own_inflow(flow: Flow, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.SCHOOL, flow.weaker))
    response = client.get(f"/evaluation/clusters/{flow.cluster.pk}/report.xlsx", {"year": YEAR})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    integration = list(book.worksheets[4].iter_rows(values_only=True))
    named = {row[0] for row in integration if row[0] in (flow.weaker.name, flow.weaker_primary.name)}
    assert named == {flow.weaker.name}
    reach = list(book.worksheets[3].iter_rows(values_only=True))
    assert not any(row[0] == flow.outside.weaker.name for row in reach)  # type: ignore[attr-defined]


def test_the_evaluation_page_shows_the_rotations(flow: Flow, make_user: Any) -> None:
    ClusterResult.objects.create(
        year=YEAR,
        cluster=flow.cluster,
        stage=Stage.JUNIOR,
        subject="数学",
        schools=3,
        students=300,
        pass_share=0.8,
        meets_model_standard=False,
    )
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, flow.district))
    page = client.get("/evaluation/clusters/", {"year": YEAR, "cluster": flow.cluster.pk}).content.decode()
    assert 'id="cluster-teacher-flow"' in page
    assert 'id="lead-rotations"' in page and 'id="weaker-inflow"' in page
    assert f'href="/policy/rotation-boards/{flow.cluster.pk}/"' in page
