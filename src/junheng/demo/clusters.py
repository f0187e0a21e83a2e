"""The demo clusters' own life: the creation period of the model clusters, their governance documents (partly
adopted), work meetings, applications for model status at every step, and one creating cluster with an approved
membership change. Deterministic: everything follows the clusters' order by district and name."""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from junheng.organisations.choices import (
    ChangeKind,
    ChangeStatus,
    DocumentStatus,
    GovernanceKind,
    ModelStatus,
    Tier,
)
from junheng.organisations.models import (
    Cluster,
    ClusterMembership,
    GovernanceDocument,
    MembershipChange,
    School,
    WorkMeeting,
)
from junheng.policy.accreditation.models import Accreditation, AccreditationStatus, AccreditationStep

DEMO_MARK = "演示数据"
CREATING_SINCE = date(2024, 3, 1)
APPLIED, RECOMMENDED, DECIDED = date(2025, 5, 12), date(2025, 6, 3), date(2025, 6, 27)
CHANGE_ON = date(2025, 3, 1)
# The step each creating cluster's application has reached, in turn (one in five has not applied at all).
CREATING_STEPS = (
    AccreditationStatus.DRAFT,
    AccreditationStatus.APPLIED,
    AccreditationStatus.RECOMMENDED,
    AccreditationStatus.RETURNED,
    None,
)
# The dates and steps that lead to each status.
LEADS_TO = {
    AccreditationStatus.DRAFT: [],
    AccreditationStatus.APPLIED: [("apply", "draft", "applied", APPLIED)],
    AccreditationStatus.RECOMMENDED: [
        ("apply", "draft", "applied", APPLIED),
        ("recommend", "applied", "recommended", RECOMMENDED),
    ],
    AccreditationStatus.RETURNED: [
        ("apply", "draft", "applied", APPLIED),
        ("recommend", "applied", "recommended", RECOMMENDED),
        ("return", "recommended", "returned", DECIDED),
    ],
    AccreditationStatus.ACCREDITED: [
        ("apply", "draft", "applied", APPLIED),
        ("recommend", "applied", "recommended", RECOMMENDED),
        ("accredit", "recommended", "accredited", DECIDED),
    ],
}


def demo_cluster_life() -> dict[str, int]:
    model = list(
        Cluster.objects.filter(is_demo=True, model_status__in=(ModelStatus.CREATING, ModelStatus.ACCREDITED))
        .select_related("district", "lead_school")
        .order_by("district__code", "name")
    )
    Cluster.objects.filter(pk__in=[c.pk for c in model]).update(creating_since=CREATING_SINCE)
    documents, meetings = _governance(model)
    applications = _applications(model)
    _membership_moves([c for c in model if c.model_status == ModelStatus.CREATING])
    return {"documents": documents, "meetings": meetings, "applications": applications}


def _governance(model: list[Cluster]) -> tuple[int, int]:
    """An accredited cluster has adopted every document; a creating one the first few kinds, more the further
    along it is, with the next kind in draft."""
    kinds = list(GovernanceKind)
    documents, meetings = [], []
    for number, cluster in enumerate(model):
        adopted = len(kinds) if cluster.model_status == ModelStatus.ACCREDITED else number % (len(kinds) + 1)
        for index, kind in enumerate(kinds[: adopted + 1]):
            draft = index == adopted
            documents.append(
                GovernanceDocument(
                    cluster=cluster,
                    kind=kind,
                    title=f"{cluster.name}{kind.label}",
                    status=DocumentStatus.DRAFT if draft else DocumentStatus.ADOPTED,
                    adopted_on=None if draft else CREATING_SINCE + timedelta(days=7 * index),
                    council_members="牵头校校长（主任）\n各成员校校长"
                    if kind == GovernanceKind.COUNCIL
                    else "",
                )
            )
        for month in (3, 9):
            meetings.append(
                WorkMeeting(
                    cluster=cluster,
                    held_on=date(2024, month, 10),
                    title="学区集团工作例会",
                    attendees="各成员校校长\n学区集团办公室",
                    present=6,
                    minutes="通报创建进展，商定下阶段联合教研与教师流动安排。",
                )
            )
    bulk_create_with_history(documents, GovernanceDocument, default_change_reason=DEMO_MARK)
    bulk_create_with_history(meetings, WorkMeeting, default_change_reason=DEMO_MARK)
    return len(documents), len(meetings)


def _applications(model: list[Cluster]) -> int:
    made = 0
    creating = 0
    for cluster in model:
        status: AccreditationStatus | None
        if cluster.model_status == ModelStatus.ACCREDITED:
            status = AccreditationStatus.ACCREDITED
        else:
            status = CREATING_STEPS[creating % len(CREATING_STEPS)]
            creating += 1
            if status is None:
                continue
        steps = LEADS_TO[status]
        dates = {to: day for _step, _from, to, day in steps}
        application = Accreditation.objects.create(
            cluster=cluster,
            statement=f"{cluster.name}申报市示范性学区集团：三年来成员校共建共享、教师流动和一体考评的成效。",
            status=status,
            applied_on=dates.get("applied"),
            recommended_on=dates.get("recommended"),
            decided_on=dates.get("accredited") or dates.get("returned"),
        )
        for step, before, after, _day in steps:
            AccreditationStep.objects.create(
                accreditation=application,
                step=step,
                from_status=before,
                to_status=after,
                comment="材料待补充：联合教研记录不全" if step == "return" else "",
            )
        made += 1
    return made


def _membership_moves(creating: list[Cluster]) -> None:
    """R-A4 at each of its statuses: the first creating cluster takes in a new weaker school with the bureau's
    approval on 1 March 2025, the second one without (recorded directly, as an old import would have), and the
    last has not recorded when its creation began. The new schools have no teachers and no results yet."""
    if len(creating) < 3:
        return
    for number, (cluster, approved) in enumerate(((creating[0], True), (creating[1], False)), start=1):
        school = School.objects.create(
            name=f"{cluster.district.short_name}演示新纳入学校{number}",
            code=f"N{cluster.district.code}{number:03d}",
            district=cluster.district,
            stage=cluster.lead_school.stage if cluster.lead_school else "",
            is_demo=True,
        )
        if approved:
            MembershipChange.objects.create(
                cluster=cluster,
                school=school,
                kind=ChangeKind.JOIN,
                tier=Tier.WEAKER,
                effective_on=CHANGE_ON,
                reason="区域学校布局调整，新纳入相对薄弱校以带动其发展。",
                status=ChangeStatus.APPROVED,
                decided_on=CHANGE_ON - timedelta(days=14),
                decision_note="同意",
            )
        ClusterMembership.objects.create(
            cluster=cluster, school=school, tier=Tier.WEAKER, start_date=CHANGE_ON
        )
    Cluster.objects.filter(pk=creating[-1].pk).update(creating_since=None)
