"""No edition is chosen in code: the edition in force on the date gives every number the evaluation, its report and
the rules' titles use. A new edition with another threshold changes them without a code change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from junheng.core.editions import shipped_thresholds_on, thresholds_on
from junheng.evaluation.cluster_report import cluster_report
from junheng.evaluation.models import ClusterResult
from junheng.evaluation.platform import edition_standard
from junheng.organisations.models import Cluster
from junheng.policy.models import PolicyEdition, Threshold
from junheng.policy.rules import CATALOG
from junheng.policy.services import edition_copy
from junheng.policy.views import rule_heading

from ..evaluation.test_metrics import mark, run, school

pytestmark = pytest.mark.django_db
KEY = "R-E3.between_school_difference"


@pytest.fixture
def s3(municipal: Any) -> PolicyEdition:
    """The next round: S2 copied, running 2026–2028, with a between-school line of 0.30."""
    edition = edition_copy(
        actor=municipal, edition=PolicyEdition.objects.get(code="S2"), code="S3", name="下一轮"
    )
    PolicyEdition.objects.filter(pk=edition.pk).update(
        period_start=date(2026, 1, 1), period_end=date(2028, 12, 31)
    )
    Threshold.objects.filter(edition=edition, key=KEY).update(value="0.30")
    return edition


def test_the_edition_in_force_on_the_date_gives_the_number(s3: PolicyEdition) -> None:
    assert str(thresholds_on(date(2024, 6, 30), [KEY])[KEY].value) == "0.1500"
    assert thresholds_on(date(2027, 6, 30), [KEY])[KEY].edition == "S3"
    assert float(thresholds_on(date(2027, 6, 30), [KEY])[KEY].value) == 0.30
    # after every round has ended, the latest still counts; before the first, the first
    assert thresholds_on(date(2031, 1, 1), [KEY])[KEY].edition == "S3"
    assert thresholds_on(date(2019, 1, 1), [KEY])[KEY].edition == "S2"
    assert shipped_thresholds_on(date(2024, 6, 30), [KEY])[KEY].edition == "S2"


def test_an_edited_threshold_changes_the_metrics_flag(s3: PolicyEdition) -> None:
    """The same results judged in 2024 (S2: below 0.15) and in 2027 (S3: below 0.30)."""

    def scores(year: int) -> list[dict[str, Any]]:
        # within each school 70–86; school B four points higher: a between-school share of about 0.18
        return [
            mark(f"{s}{i}", s, base + (i % 5) * 4, year=year)
            for s, base in (("A", 70), ("B", 74))
            for i in range(40)
        ]

    schools = [school("A"), school("B")]
    (in_2024,) = run(scores(2024), schools, 2024, edition_standard(2024))["clusters"]
    (in_2027,) = run(scores(2027), schools, 2027, edition_standard(2027))["clusters"]
    assert in_2024["between_school_share"] == pytest.approx(in_2027["between_school_share"])
    assert 0.15 < in_2027["between_school_share"] < 0.30
    assert (in_2024["meets_model_standard"], in_2027["meets_model_standard"]) == (False, True)


def test_an_edited_threshold_renames_the_rule_and_changes_the_report(s3: PolicyEdition) -> None:
    from junheng.policy.engine import thresholds_of

    rule = CATALOG["R-E3.b"]
    assert rule.heading(thresholds_of(PolicyEdition.objects.get(code="S2"))) == "校际差异率低于0.15"
    assert rule_heading("R-E3.b", thresholds_of(s3)) == "校际差异率低于0.3"
    appraisal = CATALOG["R-E1"].heading(thresholds_of(s3))
    assert appraisal.endswith("不低于50%")

    cluster = Cluster.objects.filter(is_demo=True).first()
    ClusterResult.objects.create(
        year=2027,
        cluster=cluster,
        stage="primary",
        subject="数学",
        schools=4,
        students=400,
        pass_share=0.9,
        between_school_share=0.2,
        meets_model_standard=True,
    )
    gaps = cluster_report(cluster, 2027).sections[2]
    assert "低于 0.30" in " ".join(gaps.paragraphs)
    assert gaps.charts[0].reference == pytest.approx(0.30)
    assert "低于 0.15" in " ".join(cluster_report(cluster, 2024).sections[2].paragraphs)
