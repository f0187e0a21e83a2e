"""Writes of the clusters' registry that carry a rule beyond the audited save: model status is reached only through
accreditation, members stay stable while a cluster creates model status (S2 二(一)1), governance documents keep
their versions (S2 二(一)2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.services import object_save

from .choices import ChangeKind, ChangeStatus, DocumentStatus, ModelStatus
from .models import Cluster, ClusterMembership, GovernanceDocument, MembershipChange, in_force_on


@transaction.atomic
def cluster_save(*, actor: Any, instance: Cluster) -> Cluster:
    """Saves a cluster from its form. Only the accreditation workflow makes a cluster accredited; the creation
    period starts the day the cluster begins creating model status, unless a date is given."""
    stored = Cluster.objects.filter(pk=instance.pk).first() if instance.pk else None
    before = stored.model_status if stored else ModelStatus.NONE
    if instance.model_status == ModelStatus.ACCREDITED and before != ModelStatus.ACCREDITED:
        raise ValidationError(
            {
                "model_status": _(
                    "A cluster is accredited only through its application: applied, recommended, accredited."
                )
            }
        )
    if instance.model_status == ModelStatus.CREATING and instance.creating_since is None:
        instance.creating_since = timezone.localdate()
    return object_save(actor=actor, instance=instance)


def stability_refusal() -> str:
    return _(
        "The cluster is creating model status: its members change only through a membership change, with its "
        "reason, approved by the district bureau."
    )


@transaction.atomic
def membership_save(*, actor: Any, instance: ClusterMembership) -> ClusterMembership:
    """Saves a membership from its form; a cluster creating model status keeps its members (S2 二(一)1)."""
    cluster = Cluster.objects.get(pk=instance.cluster_id)
    if cluster.model_status == ModelStatus.CREATING:
        raise ValidationError(stability_refusal())
    return object_save(actor=actor, instance=instance)


@transaction.atomic
def governance_document_save(*, actor: Any, instance: GovernanceDocument) -> GovernanceDocument:
    """A new document is the next version of its kind; once a version is adopted, the earlier adopted versions
    of the kind read as revised."""
    if instance.pk is None:
        latest = GovernanceDocument.objects.filter(cluster=instance.cluster_id, kind=instance.kind).aggregate(
            last=Max("version")
        )["last"]
        instance.version = (latest or 0) + 1
    saved = object_save(actor=actor, instance=instance)
    if saved.status == DocumentStatus.ADOPTED:
        earlier = GovernanceDocument.objects.filter(
            cluster=saved.cluster_id,
            kind=saved.kind,
            version__lt=saved.version,
            status=DocumentStatus.ADOPTED,
        )
        for document in earlier:
            document.status = DocumentStatus.REVISED
            object_save(actor=actor, instance=document, reason=_("Revised by version %d") % saved.version)
    return saved


@transaction.atomic
def membership_change_save(*, actor: Any, instance: MembershipChange) -> MembershipChange:
    """A change is proposed, and changed only while it waits for the bureau's decision."""
    if instance.pk is not None:
        stored = MembershipChange.objects.get(pk=instance.pk)
        if stored.status != ChangeStatus.PROPOSED:
            raise ValidationError(_("The change has been decided; it no longer changes."))
    return object_save(actor=actor, instance=instance)


def may_decide(actor: Any, change: MembershipChange) -> bool:
    """The cluster's district bureau decides (and the municipal commission)."""
    scope = scope_for(actor, Action.CHANGE)
    return scope.everything or change.cluster.district_id in scope.districts


class StepConflict(ValidationError):
    """A step asked of a record not in the status it needs (the API answers 409)."""


@transaction.atomic
def membership_change_decide(
    *, actor: Any, change: MembershipChange, approve: bool, note: str = ""
) -> MembershipChange:
    if not may_decide(actor, change):
        raise PermissionDenied(
            _("Only the cluster's district bureau approves or refuses a membership change.")
        )
    change = MembershipChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PROPOSED:
        raise StepConflict(_("The change is already %(status)s.") % {"status": change.get_status_display()})
    if approve:
        _apply(actor, change)
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED
    change.decided_by, change.decided_on, change.decision_note = actor, timezone.localdate(), note
    return object_save(actor=actor, instance=change, reason=change.get_status_display(), check_scope=False)


def _apply(actor: Any, change: MembershipChange) -> None:
    """The approved change on the dated memberships: the membership in force ends the day before the change,
    and a join or a new tier starts on its day."""
    day = change.effective_on
    current = ClusterMembership.objects.filter(
        in_force_on(day), cluster=change.cluster_id, school=change.school_id
    )
    held = current.first()
    reason = _("Membership change approved: %(reason)s") % {"reason": change.reason}
    if change.kind == ChangeKind.JOIN and held is not None:
        raise ValidationError(_("The school is already a member on that day."))
    if change.kind != ChangeKind.JOIN and held is None:
        raise ValidationError(_("The school is not a member on that day."))
    if change.kind == ChangeKind.TIER and held is not None and held.tier == change.tier:
        raise ValidationError(_("The school already has that tier."))
    until = None
    if held is not None:
        until = held.end_date
        held.end_date = day - timedelta(days=1)
        object_save(actor=actor, instance=held, reason=reason, check_scope=False)
    if change.kind != ChangeKind.LEAVE:
        joined = ClusterMembership(
            cluster_id=change.cluster_id,
            school_id=change.school_id,
            tier=change.tier,
            start_date=day,
            end_date=until,
        )
        object_save(actor=actor, instance=joined, reason=reason, check_scope=False)


DECISIONS = {"approve": _lazy("Approve"), "refuse": _lazy("Refuse")}


def membership_decision_steps(actor: Any, change: MembershipChange) -> list[tuple[str, str]]:
    """The decisions the actor may take now on its page: none once decided, none for who may not decide."""
    if change.status != ChangeStatus.PROPOSED or not may_decide(actor, change):
        return []
    return [(key, str(label)) for key, label in DECISIONS.items()]
