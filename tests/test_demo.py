"""The demo city is deterministic, marked 演示数据, covers all 16 districts and shows every rule at every status it
can give; `setup` keeps data on every run."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any, NamedTuple

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from junheng.demo.city import TODAY, demo_build, demo_remove
from junheng.demo.evaluation import demo_appraisals_build, demo_balance_build
from junheng.demo.programme import AS_OF, LATER_ROUND, demo_work_build
from junheng.demo.results import demo_results_build
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.policy.engine import evaluate
from junheng.policy.models import ComplianceRun, Finding, PolicyEdition
from junheng.policy.rules import FindingData
from junheng.policy.rules.base import AT_RISK, FAIL, NO_DATA, NOT_DUE, PASS
from junheng.programmes.models import Pairing
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        School.objects.filter(is_demo=True).values_list("code", "name", "stage", "latitude", "longitude")
    ) + sorted(ClusterMembership.objects.values_list("cluster__name", "school__code", "tier"))


def test_same_size_same_city() -> None:
    first = snapshot()
    teachers = sorted(Teacher.objects.values_list("staff_number", "name", "subject", "employed_since"))
    demo_remove()
    assert not School.objects.filter(is_demo=True).exists()
    demo_build("small")
    assert snapshot() == first
    assert (
        sorted(Teacher.objects.values_list("staff_number", "name", "subject", "employed_since")) == teachers
    )


def test_every_district_has_demo_schools_and_clusters_mix_quality_and_weaker_schools() -> None:
    per_district = School.objects.filter(is_demo=True).values("district").annotate(n=Count("pk"))
    assert len(per_district) == 16
    for cluster in Cluster.objects.filter(is_demo=True):
        tiers = set(cluster.memberships.values_list("tier", flat=True))
        assert tiers == {"quality", "weaker"}
        assert cluster.memberships.filter(school=cluster.lead_school, tier="quality").exists()
    assert not Teacher.objects.filter(is_demo=False).exists()


def test_demo_data_is_marked_on_the_pages(municipal: Any) -> None:
    client = Client()
    client.force_login(municipal)
    school = School.objects.filter(is_demo=True).first()
    badge = '<span class="badge bg-warning text-dark">演示数据</span>'
    assert badge in client.get(f"/registry/schools/{school.pk}/").content.decode()
    real = School.objects.get(name="月浦中心校")
    assert badge not in client.get(f"/registry/schools/{real.pk}/").content.decode()
    assert (
        "演示数据"
        in client.get("/registry/schools/", {"is_demo": "true"}).content.decode().split("<tbody")[1]
    )


def test_setup_twice_keeps_all_data_and_makes_the_demo_accounts(monkeypatch: Any) -> None:
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "demo-password-1")
    School.objects.filter(name="月浦中心校").update(school_type_code="218")  # a user's edit
    demo_work_build("small")  # as the first setup of a machine builds it (this database has the city only)
    call_command("setup", skip_static=True, stdout=StringIO())
    counts = (School.objects.count(), Pairing.objects.count(), Teacher.objects.count())
    out = StringIO()
    call_command("setup", skip_static=True, stdout=out)
    assert (School.objects.count(), Pairing.objects.count(), Teacher.objects.count()) == counts
    assert School.objects.get(name="月浦中心校").school_type_code == "218"
    # the board is never empty: each edition was checked for the city today, once however often setup runs
    runs = ComplianceRun.objects.filter(district__isnull=True, as_of=date.today())
    assert sorted(runs.values_list("edition__code", flat=True)) == ["S1", "S2"]
    assert Finding.objects.filter(run__in=runs).exists()
    users = get_user_model().objects
    expected = {
        "municipal",
        "district-310101",
        "district-310151",
        "district-310101-readonly",
        "cluster-office",
        "school",
        "supporting-unit",
        "expert",
        "teacher",
    }
    assert expected <= set(users.values_list("username", flat=True))
    assert users.get(username="district-310113").check_password("demo-password-1")
    assert "初始密码" not in out.getvalue()
    client = Client()
    assert client.login(username="teacher", password="demo-password-1")
    assert Teacher.objects.get(user__username="teacher").is_demo
    assert client.login(username="expert", password="demo-password-1")
    reviews = client.get("/").content.decode().split('id="reviews"')[1].split("</ul>")[0]
    assert reviews.count("<li") == 3 and "三年发展规划" in reviews  # the expert's home shows its reviews


# Every rule of the plan (S1, as of programme.AS_OF) and of the model clusters (S2, as of city.TODAY and the day
# before, YEAR_END) at every status it can give, on the small demo. What a rule cannot give at all, and what the
# demo's dates rule out, with why:
CANNOT = {
    # The plan's rules count what is recorded: nothing recorded is a shortfall or not yet due, never "no data".
    **{rule: {NO_DATA} for rule in ("R-B3", "R-B4", "R-B5", "R-B6", "R-B7.a", "R-B7.b", "R-B8.a", "R-B8.b")},
    # The model standard and the resource spread judge the latest year recorded: met, missed or not computable.
    **{rule: {AT_RISK, NOT_DUE} for rule in ("R-E3.a", "R-E3.b", "R-E3.c", "R-E2.a")},
    "R-E1": {AT_RISK, NOT_DUE, NO_DATA},  # a member school without an appraisal counts as short: a fail
    # Teacher flow (S2 二(二)). The quota reads every status: no teacher recorded on 1 September is no data.
    "R-C2.a": set(),
    # The backbone share and the term count the rotations recorded: with none sent or none inside the term there is
    # nothing to count (not due), never unknown.
    "R-C2.b": {NO_DATA},
    "R-C2.c": {NO_DATA},
    # Team inflow is as needed: a weaker school that received no team this year gets no finding, so nothing is
    # ever not due or unknown.
    "R-C4": {NOT_DUE, NO_DATA},
    # The year's inflow teaches an exam-scored subject or it does not; no inflow yet is not due. Nothing in between.
    "R-C5": {AT_RISK, NO_DATA},
    # Appraisals are deadlines: done in time, late, missing, or not yet due; a school with no inflow gets no finding.
    "R-C6": {NO_DATA},
    # Only a school with a teacher back and rated good gets a finding, and each such teacher has a duty in time,
    # has until the deadline, or is past it.
    "R-C7": {NOT_DUE, NO_DATA},
    # Every model cluster's plan for the year is judged: filed and complete, or short (at risk, a fail on the
    # year's last day).
    "R-C8": {NOT_DUE, NO_DATA},
    # Joint research and probation (S2 二(三)2). Every subject has its number or falls short; a cluster of no known
    # stage and no list of its own has no subjects (no data). A probation is at the allowed schools or it is not,
    # and a cluster with no new teacher gets no finding.
    "R-D5": set(),
    "R-D7": {AT_RISK, NOT_DUE, NO_DATA},
    # The clusters' own life (S2 二(一)): a change in the creation period is approved (at risk) or not (a fail);
    # S2 sets no deadline for the governance documents, so they are adopted or not.
    "R-A4": {NOT_DUE},
    "R-A6": {AT_RISK, NOT_DUE, NO_DATA},
    # Shared courses (S2 二(三)1) count what is recorded: a school offers enough this semester, not yet (at risk)
    # or did not by its end. Only a cluster without members in the semester is not due.
    "R-D1.a": {NOT_DUE, NO_DATA},
    "R-D1.b": {NO_DATA},
    "R-D1.c": {NO_DATA},
}
NOT_ON_THE_DEMO_DAY = {
    # The later cohort starts 16 days after AS_OF, within the warning horizon, so a missing baseline is at risk;
    # the official round started long before. Not due is only for a start more than 60 days ahead.
    "R-B5": {NOT_DUE},
    # The official round's mid-term evaluation was due by 2022-06-30, the later cohort's by 2025-05-31: neither
    # deadline is within the 60 days after AS_OF.
    "R-B8.a": {AT_RISK},
    # The official round's performance evaluation is due by 2023-12-31, after AS_OF: none is overdue yet.
    "R-B8.b": {FAIL},
    # A demo cluster's schools are in its district, so the district's pass share is always there to compare with.
    "R-E3.a": {NO_DATA},
    # On the demo's day its semester has just begun (not due); the day before, the semester ends (pass or fail):
    # at risk is from a semester's middle. Every demo cluster's schools have a stage.
    "R-D5": {AT_RISK, NO_DATA},
    # Every demo cluster has its members from 2023 on.
    "R-D1.b": {NOT_DUE},
    "R-D1.c": {NOT_DUE},
}
STATUSES = {PASS, FAIL, AT_RISK, NOT_DUE, NO_DATA}
YEAR_END = date(2025, 8, 31)  # the last day of school year 2024-2025, the day before the demo's day
TIME_BOUND = ("R-B3", "R-B4", "R-B8.a", "R-B8.b")


class DemoCheck(NamedTuple):
    findings: dict[str, list[FindingData]]  # edition → its findings city-wide (S2: on both of its days)
    later_cohort: set[int]  # the later cohort's pairings


@pytest.fixture(scope="module")
def demo_check(django_db_setup: Any, django_db_blocker: Any) -> DemoCheck:
    """The small demo as `setup` builds it (the city is the session's), checked city-wide; then rolled back.

    S2 is checked on the demo's day, the first day of school year 2025-2026, and on the day before, the last day of
    2024-2025 — the same records on both, nothing dated after the demo's day. A yearly requirement of S2 is at risk
    while its year runs and fails only when checked on the year's last day, and a deadline of 31 August is within
    the warning horizon only before it passes: on the first day of a year the quota (R-C2.a), the backbone share
    (R-C2.b), a team's number (R-C4) and the staffing plan (R-C8) cannot fail, an appraisal (R-C6) cannot be at
    risk, and an early end still to come (R-C2.c at risk) would be dated after the demo's day. The last day of the
    year before shows those; the first day shows what only a year just begun can (an inflow starting today, not
    yet due for appraisal). S2's statuses are the union of both days."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_work_build("small")
        demo_results_build()
        demo_balance_build()
        demo_appraisals_build()
        found = DemoCheck(
            {
                "S1": evaluate(PolicyEdition.objects.get(code="S1"), AS_OF),
                "S2": [
                    finding
                    for day in (TODAY, YEAR_END)
                    for finding in evaluate(PolicyEdition.objects.get(code="S2"), day)
                ],
            },
            set(Pairing.objects.filter(round__name=LATER_ROUND["name"]).values_list("pk", flat=True)),
        )
        transaction.set_rollback(True)
    return found


@pytest.mark.parametrize("edition", ["S1", "S2"])
def test_the_demo_shows_every_rule_at_every_status_it_can_give(demo_check: DemoCheck, edition: str) -> None:
    shown: dict[str, set[str]] = {}
    for finding in demo_check.findings[edition]:
        shown.setdefault(finding.rule, set()).add(finding.status)
    expected = {
        rule: STATUSES - CANNOT[rule] - NOT_ON_THE_DEMO_DAY.get(rule, set())
        for rule in CANNOT
        if rule.startswith("R-B") == (edition == "S1")
    }
    assert shown == expected


def test_the_later_cohort_has_nothing_due_yet_on_the_demo_day(demo_check: DemoCheck) -> None:
    """Only a plan may be at risk: some are to run from the cohort's start, a fortnight away."""
    later = [
        f
        for f in demo_check.findings["S1"]
        if f.subject_type == "pairing" and f.subject_id in demo_check.later_cohort
    ]
    assert {f.subject_id for f in later} == demo_check.later_cohort != set()
    assert {f.status for f in later if f.rule in TIME_BOUND} == {NOT_DUE}
    assert {f.status for f in later if f.rule == "R-B6"} == {NOT_DUE, AT_RISK, PASS}
