"""`junheng evaluate` over what the platform holds: the accepted uploads, the schools and the clusters' members on
30 June; the results saved for the pages equal the plain-Python reference."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from junheng.demo.results import demo_results_build
from junheng.evaluation.models import ClusterResult, DistrictResult, SchoolResult, ScoreUpload
from junheng.evaluation.platform import membership_day
from junheng.organisations.choices import Role
from junheng.organisations.models import ClusterMembership, District, School, in_force_on
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition

from .reference import reference_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def close(a: Any, b: Any) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-9)


def test_the_saved_results_equal_the_reference(media: Path) -> None:
    demo_results_build()
    files = ", ".join(f"'{media / u.parquet}'" for u in ScoreUpload.objects.accepted())
    cursor = duckdb.sql(f"SELECT * FROM read_parquet([{files}])")
    names = [c[0] for c in cursor.description]
    scores = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # the memberships the year's results count (a school that joins a cluster later is not in them)
    in_force = ClusterMembership.objects.filter(in_force_on(membership_day(2024)), school__is_demo=True)
    members = {m.school_id: m for m in in_force}
    assert len(members) == in_force.count()  # one cluster each
    schools = [
        {
            "school_code": s.code,
            "district_code": s.district.code,
            "stage": s.stage if s.stage in ("primary", "junior") else "",
            "cluster": str(members[s.pk].cluster_id) if s.pk in members else "",
            "tier": members[s.pk].tier if s.pk in members else "",
        }
        for s in School.objects.exclude(code=None).select_related("district")
    ]
    expected = reference_metrics(scores, schools, 2024, 60)

    saved = ClusterResult.objects.filter(year=2024)
    assert saved.count() == len(expected["clusters"]) > 0
    for result in saved:
        want = expected["clusters"][str(result.cluster_id), result.stage, result.subject]
        for name in ("schools", "students", "between_school_share", "weighted_cv", "pass_share"):
            assert close(getattr(result, name), want[name]), (result, name)
        assert result.weaker_schools_improved == want["weaker_schools_improved"]
        assert close(result.district_pass_share, want["district_pass_share"])
    for result in SchoolResult.objects.filter(year=2024).select_related("school"):
        want = expected["schools"][result.school.code, result.subject]
        assert all(close(getattr(result, k), v) for k, v in want.items()), result
    assert DistrictResult.objects.filter(year=2024).count() == len(expected["districts"])


def test_the_command_replaces_the_years_results_and_writes_json(media: Path, tmp_path: Path) -> None:
    demo_results_build()
    before = ClusterResult.objects.filter(year=2024).count()
    out = tmp_path / "2024.json"
    call_command("evaluate", "--year", "2024", "--output", str(out), stderr=io.StringIO())
    assert ClusterResult.objects.filter(year=2024).count() == before  # replaced, not added
    result = json.loads(out.read_text(encoding="utf-8"))
    row = result["clusters"][0]
    assert (
        row["cluster"]
        == ClusterResult.objects.get(
            year=2024, cluster_id=row["cluster_id"], stage=row["stage"], subject=row["subject"]
        ).cluster.name
    )
    with pytest.raises(CommandError, match="尚未载入 2030 年的监测成绩"):
        call_command("evaluate", "--year", "2030")


def test_the_model_standard_rules_judge_each_clusters_latest_year(
    media: Path, municipal: Any, client: Any
) -> None:
    demo_results_build()
    run, findings = compliance_run(
        actor=municipal, edition=PolicyEdition.objects.get(code="S2"), as_of=date(2025, 3, 1)
    )
    by_rule = {
        code: {f.subject_id: f for f in findings if f.rule == code} for code in ("R-E3.a", "R-E3.b", "R-E3.c")
    }
    results = ClusterResult.objects.filter(year=2024)
    assert set(by_rule["R-E3.b"]) == set(results.values_list("cluster_id", flat=True))
    for cluster_id, finding in by_rule["R-E3.b"].items():
        shares = [r.between_school_share for r in results.filter(cluster_id=cluster_id)]
        judged = [s for s in shares if s is not None]  # none where only one school reported
        expected = "no_data" if not judged else "pass" if all(s < 0.15 for s in judged) else "fail"
        assert finding.status == expected, (finding.subject_name, shares)
        assert "校际差异" in finding.message or "2024" in finding.message
    for cluster_id, finding in by_rule["R-E3.a"].items():
        rows = results.filter(cluster_id=cluster_id)
        assert (finding.status == "pass") == all(r.pass_share >= r.district_pass_share for r in rows)
    meeting = {r.cluster_id for r in results if r.meets_model_standard}
    passing_all = {
        cluster_id
        for cluster_id in by_rule["R-E3.a"]
        if all(by_rule[code][cluster_id].status == "pass" for code in ("R-E3.a", "R-E3.b"))
        and by_rule["R-E3.c"][cluster_id].status in ("pass", "no_data")
    }
    # a cluster passing all three rules meets the standard in every stage and subject
    assert passing_all <= meeting
    client.force_login(municipal)
    assert client.get(f"/policy/runs/{run.pk}/").status_code == 200
    # before any monitoring year there is nothing to judge
    _run, early = compliance_run(
        actor=municipal, edition=PolicyEdition.objects.get(code="S2"), as_of=date(2022, 3, 1)
    )
    assert not [f for f in early if f.rule.startswith("R-E3")]


def test_the_cluster_evaluation_page_shows_only_the_users_clusters(
    media: Path, make_user: Any, client: Any
) -> None:
    demo_results_build()
    district = District.objects.get(code="310101")
    bureau = make_user(Role.DISTRICT_BUREAU, district)
    client.force_login(bureau)
    page = client.get(reverse("evaluation:clusters"), {"year": 2024, "subject": "数学"}).content.decode()
    mine = ClusterResult.objects.filter(year=2024, subject="数学", cluster__district=district)
    others = ClusterResult.objects.filter(year=2024).exclude(cluster__district=district)
    assert mine.exists() and all(r.cluster.name in page for r in mine)
    assert not [r.cluster.name for r in others if r.cluster.name in page]
    assert "英语" not in page.split('id="cluster-results"')[1]  # the subject filter holds

    cluster = mine.first().cluster
    page = client.get(
        reverse("evaluation:clusters"), {"year": 2024, "subject": "数学", "cluster": cluster.pk}
    ).content.decode()
    schools = json.loads(page.split('id="school-data" type="application/json">')[1].split("</script>")[0])
    members = SchoolResult.objects.filter(
        year=2024, subject="数学", school__cluster_memberships__cluster=cluster
    ).order_by("-mean")
    assert [s["name"] for s in schools["schools"]] == [r.school.name for r in members]
    assert schools["district_pass_share"] == mine.filter(cluster=cluster).first().district_pass_share

    elsewhere = others.first().cluster
    page = client.get(
        reverse("evaluation:clusters"), {"year": 2024, "cluster": elsewhere.pk}
    ).content.decode()
    assert "school-data" not in page  # another district's cluster shows no schools
