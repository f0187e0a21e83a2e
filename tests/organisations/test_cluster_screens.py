"""The clusters' screens by role: the bureau edits its district's clusters and their dated memberships; the
cluster office reads its cluster and records only its documents and meetings; while a cluster creates model
status its members change only through a membership change the bureau approves (which applies it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.core.models import ApiToken
from junheng.organisations.choices import ModelStatus, Role, Tier
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    District,
    GovernanceDocument,
    MembershipChange,
    School,
    WorkMeeting,
)


@pytest.fixture
def cluster(db: Any) -> Cluster:
    return (
        Cluster.objects.filter(is_demo=True, district__code="310101", model_status="none")
        .order_by("name")
        .first()
    )


def api(user: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bureau_edits_its_clusters_and_another_bureau_does_not_see_them(
    cluster: Cluster, make_user: Any
) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True)
    other = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310105"), can_edit=True)
    edited = api(bureau).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"close_knit": True}, content_type="application/json"
    )
    assert edited.status_code == 200
    assert (
        api(other).patch(f"/api/v1/clusters/{cluster.pk}/", {}, content_type="application/json").status_code
        == 404
    )
    assert page(bureau).get(f"/registry/clusters/{cluster.pk}/edit/").status_code == 200
    assert page(bureau).get("/registry/clusters/add/").status_code == 200


def test_the_office_reads_its_cluster_but_does_not_edit_it(cluster: Cluster, make_user: Any) -> None:
    office = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    assert page(office).get(cluster.get_absolute_url()).status_code == 200
    assert page(office).get(f"/registry/clusters/{cluster.pk}/edit/").status_code == 403
    refused = api(office).patch(
        f"/api/v1/clusters/{cluster.pk}/", {"close_knit": True}, content_type="application/json"
    )
    assert refused.status_code == 403
    membership = cluster.memberships.first()
    assert page(office).get(f"/registry/cluster-memberships/{membership.pk}/edit/").status_code == 403


def test_the_bureau_records_dated_memberships_with_tier(cluster: Cluster, make_user: Any) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True)
    outside = (
        School.objects.filter(district=cluster.district).exclude(cluster_memberships__isnull=False).first()
    )
    created = api(bureau).post(
        "/api/v1/cluster-memberships/",
        {"cluster": cluster.pk, "school": outside.pk, "tier": Tier.WEAKER, "start_date": "2025-09-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert cluster.memberships.filter(school=outside, tier=Tier.WEAKER, end_date=None).exists()


def test_the_office_records_documents_and_meetings_another_office_does_not(
    cluster: Cluster, make_user: Any
) -> None:
    office = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    other = make_user(
        Role.CLUSTER_OFFICE, Cluster.objects.filter(district__code="310105").first(), can_edit=True
    )
    charter = SimpleUploadedFile("章程.pdf", b"%PDF-1.4 charter", content_type="application/pdf")
    posted = page(office).post(
        "/registry/governance-documents/add/",
        {
            "cluster": cluster.pk,
            "kind": "charter",
            "title": "集团章程",
            "status": "adopted",
            "adopted_on": "2024-03-01",
            "file": charter,
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    first = GovernanceDocument.objects.get(cluster=cluster, kind="charter")
    assert first.version == 1 and first.file
    api(office).post(
        "/api/v1/governance-documents/",
        {
            "cluster": cluster.pk,
            "kind": "charter",
            "title": "集团章程（修订）",
            "status": "adopted",
            "adopted_on": "2025-03-01",
        },
        content_type="application/json",
    )
    first.refresh_from_db()
    assert first.status == "revised"
    assert GovernanceDocument.objects.get(cluster=cluster, kind="charter", version=2).status == "adopted"

    meeting = {
        "cluster": cluster.pk,
        "held_on": "2025-03-10",
        "title": "工作例会",
        "present": 6,
        "attendees": "甲\n乙",
        "minutes": "议定事项",
    }
    assert (
        api(office).post("/api/v1/work-meetings/", meeting, content_type="application/json").status_code
        == 201
    )
    refused = api(other).post("/api/v1/work-meetings/", meeting, content_type="application/json")
    assert refused.status_code in (403, 422)
    assert WorkMeeting.objects.filter(cluster=cluster).count() == 1


def test_a_file_that_is_not_what_it_says_is_refused(cluster: Cluster, make_user: Any) -> None:
    office = make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True)
    fake = SimpleUploadedFile("章程.pdf", b"MZ not a pdf", content_type="application/pdf")
    posted = page(office).post(
        "/registry/governance-documents/add/",
        {"cluster": cluster.pk, "kind": "charter", "title": "集团章程", "status": "draft", "file": fake},
    )
    assert posted.status_code == 200  # the form again, with the error
    assert not GovernanceDocument.objects.filter(cluster=cluster).exists()


@pytest.fixture
def creating(cluster: Cluster) -> Cluster:
    Cluster.objects.filter(pk=cluster.pk).update(
        model_status=ModelStatus.CREATING, creating_since=date(2024, 3, 1)
    )
    cluster.refresh_from_db()
    return cluster


def test_while_creating_members_change_only_through_an_approved_change(
    creating: Cluster, make_user: Any
) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, creating.district, can_edit=True)
    office = make_user(Role.CLUSTER_OFFICE, creating, can_edit=True)
    member = creating.memberships.filter(tier=Tier.WEAKER).first()
    direct = api(bureau).patch(
        f"/api/v1/cluster-memberships/{member.pk}/",
        {"end_date": "2025-06-30"},
        content_type="application/json",
    )
    assert direct.status_code == 422
    member.refresh_from_db()
    assert member.end_date is None

    proposed = api(office).post(
        "/api/v1/membership-changes/",
        {
            "cluster": creating.pk,
            "school": member.school_id,
            "kind": "tier",
            "tier": "quality",
            "effective_on": "2025-09-01",
            "reason": "",
        },
        content_type="application/json",
    )
    assert proposed.status_code == 422  # no reason
    proposed = api(office).post(
        "/api/v1/membership-changes/",
        {
            "cluster": creating.pk,
            "school": member.school_id,
            "kind": "tier",
            "tier": "quality",
            "effective_on": "2025-09-01",
            "reason": "办学质量提升，转为优质校",
        },
        content_type="application/json",
    )
    assert proposed.status_code == 201, proposed.content
    change = MembershipChange.objects.get(pk=proposed.json()["id"])
    assert (
        api(office)
        .post(f"/api/v1/membership-changes/{change.pk}/approve/", {}, content_type="application/json")
        .status_code
        == 403
    )
    approved = api(bureau).post(
        f"/api/v1/membership-changes/{change.pk}/approve/", {"note": "同意"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert (
        api(bureau)
        .post(f"/api/v1/membership-changes/{change.pk}/refuse/", {}, content_type="application/json")
        .status_code
        == 409
    )
    member.refresh_from_db()
    assert member.end_date == date(2025, 8, 31)
    assert (
        ClusterMembership.objects.get(
            cluster=creating, school=member.school, start_date=date(2025, 9, 1)
        ).tier
        == "quality"
    )


def test_a_refused_change_changes_nothing_and_is_decided_on_the_page(
    creating: Cluster, make_user: Any
) -> None:
    bureau = make_user(Role.DISTRICT_BUREAU, creating.district, can_edit=True)
    member = creating.memberships.first()
    change = MembershipChange.objects.create(
        cluster=creating, school=member.school, kind="leave", effective_on=date(2025, 9, 1), reason="撤并"
    )
    shown = page(bureau).get(change.get_absolute_url()).content.decode()
    assert "membership-change-decision" in shown
    page(bureau).post(f"/registry/membership-changes/{change.pk}/decide/refuse/", {"note": "保持稳定"})
    change.refresh_from_db()
    member.refresh_from_db()
    assert change.status == "refused" and change.decided_by == bureau and member.end_date is None


def test_the_yearly_counts_are_the_schools_own(make_user: Any, db: Any) -> None:
    school = School.objects.filter(is_demo=True).first()
    own = make_user(Role.SCHOOL, school, can_edit=True)
    other = make_user(
        Role.SCHOOL,
        School.objects.filter(is_demo=True).exclude(district=school.district).first(),
        can_edit=True,
    )
    count = school.year_counts.first()
    changed = api(own).patch(
        f"/api/v1/school-year-counts/{count.pk}/", {"teachers": 99}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert api(other).get(f"/api/v1/school-year-counts/{count.pk}/").status_code == 404
