"""R-A4 (members stay stable while a cluster creates model status) and R-A6 (governance documents adopted) at their
boundaries: a change on the period's first day is the cluster as created, one on the as-of date counts; an
approved change is reported, an unapproved one fails; a draft or a document adopted after the date does not
count, a revised one does."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from junheng.organisations.choices import (
    ChangeKind,
    ChangeStatus,
    DocumentStatus,
    GovernanceKind,
    ModelStatus,
    Stage,
    Tier,
)
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    District,
    GovernanceDocument,
    MembershipChange,
    School,
)
from junheng.policy.engine import evaluate
from junheng.policy.models import PolicyEdition

START = date(2024, 3, 1)
AS_OF = date(2025, 6, 30)


def s2_findings(rule: str, cluster: Cluster, as_of: date = AS_OF) -> list[Any]:
    findings = evaluate(PolicyEdition.objects.get(code="S2"), as_of, cluster.district)
    return [f for f in findings if f.rule == rule and f.subject_id == cluster.pk]


def a_cluster(status: str = ModelStatus.CREATING, since: date | None = START) -> Cluster:
    district = District.objects.get(code="310151")
    name = f"稳定性测试{status}{since}"
    cluster = Cluster.objects.create(
        name=name, kind="group", district=district, model_status=status, creating_since=since
    )
    for number, tier in enumerate((Tier.QUALITY, Tier.WEAKER)):
        school = School.objects.create(name=f"{name}校{number}", district=district, stage=Stage.PRIMARY)
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier=tier, start_date=date(2023, 9, 1)
        )
    return cluster


def join(cluster: Cluster, on: date, approved: bool = False) -> School:
    school = School.objects.create(name=f"加入校{on:%Y%m%d}", district=cluster.district, stage=Stage.PRIMARY)
    ClusterMembership.objects.create(cluster=cluster, school=school, tier=Tier.WEAKER, start_date=on)
    if approved:
        MembershipChange.objects.create(
            cluster=cluster,
            school=school,
            kind=ChangeKind.JOIN,
            tier=Tier.WEAKER,
            effective_on=on,
            reason="区域布局调整",
            status=ChangeStatus.APPROVED,
            decided_on=on,
        )
    return school


@pytest.mark.django_db
def test_no_change_in_the_creation_period_passes() -> None:
    (finding,) = s2_findings("R-A4", a_cluster())
    assert finding.status == "pass"
    assert finding.clause == "S2 二(一)1"


@pytest.mark.django_db
def test_a_change_on_the_first_day_is_the_cluster_as_created() -> None:
    cluster = a_cluster()
    join(cluster, START)
    assert s2_findings("R-A4", cluster)[0].status == "pass"


@pytest.mark.django_db
def test_a_change_the_day_after_the_start_without_approval_fails() -> None:
    cluster = a_cluster()
    join(cluster, date(2024, 3, 2))
    (finding,) = s2_findings("R-A4", cluster)
    assert finding.status == "fail"
    assert len(finding.measured["unapproved"]) == 1


@pytest.mark.django_db
def test_an_approved_change_is_reported_at_risk() -> None:
    cluster = a_cluster()
    join(cluster, date(2024, 9, 1), approved=True)
    (finding,) = s2_findings("R-A4", cluster)
    assert finding.status == "at_risk"
    assert finding.measured["unapproved"] == [] and len(finding.measured["changes"]) == 1


@pytest.mark.django_db
def test_a_change_on_the_as_of_date_counts_and_one_after_does_not() -> None:
    cluster = a_cluster()
    join(cluster, AS_OF)
    assert s2_findings("R-A4", cluster)[0].status == "fail"
    assert s2_findings("R-A4", cluster, date(2025, 6, 29))[0].status == "pass"


@pytest.mark.django_db
def test_a_tier_change_is_one_change() -> None:
    cluster = a_cluster()
    membership = cluster.memberships.get(tier=Tier.WEAKER)
    membership.end_date = date(2024, 12, 31)
    membership.save()
    ClusterMembership.objects.create(
        cluster=cluster, school=membership.school, tier=Tier.QUALITY, start_date=date(2025, 1, 1)
    )
    (finding,) = s2_findings("R-A4", cluster)
    assert len(finding.measured["changes"]) == 1 and finding.status == "fail"


@pytest.mark.django_db
def test_a_cluster_without_its_creation_start_has_no_data_and_one_not_creating_is_not_checked() -> None:
    assert s2_findings("R-A4", a_cluster(since=None))[0].status == "no_data"
    plain = a_cluster(status=ModelStatus.NONE)
    assert s2_findings("R-A4", plain) == [] and s2_findings("R-A6", plain) == []


def adopt(
    cluster: Cluster, kind: str, on: date | None = date(2024, 5, 1), status: str = DocumentStatus.ADOPTED
) -> None:
    GovernanceDocument.objects.create(
        cluster=cluster, kind=kind, title=f"{kind}文件", status=status, adopted_on=on
    )


@pytest.mark.django_db
def test_governance_lists_every_kind_not_adopted() -> None:
    cluster = a_cluster()
    (finding,) = s2_findings("R-A6", cluster)
    assert finding.status == "fail" and len(finding.measured["missing"]) == len(GovernanceKind)
    assert finding.clause == "S2 二(一)2"


@pytest.mark.django_db
def test_governance_passes_with_every_kind_adopted_or_revised_by_the_date() -> None:
    cluster = a_cluster(status=ModelStatus.ACCREDITED)
    kinds = list(GovernanceKind)
    for kind in kinds[:-2]:
        adopt(cluster, kind)
    adopt(cluster, kinds[-2], status=DocumentStatus.REVISED)
    adopt(cluster, kinds[-1], on=AS_OF)
    assert s2_findings("R-A6", cluster)[0].status == "pass"
    # the day before the last one was adopted, it is missing
    (before,) = s2_findings("R-A6", cluster, date(2025, 6, 29))
    assert before.status == "fail" and before.measured["missing"] == [str(kinds[-1].label)]


@pytest.mark.django_db
def test_a_draft_does_not_count() -> None:
    cluster = a_cluster()
    for kind in GovernanceKind:
        adopt(cluster, kind)
    GovernanceDocument.objects.filter(cluster=cluster, kind=GovernanceKind.CHARTER).update(
        status=DocumentStatus.DRAFT, adopted_on=None
    )
    (finding,) = s2_findings("R-A6", cluster)
    assert finding.status == "fail" and finding.measured["missing"] == [str(GovernanceKind.CHARTER.label)]
