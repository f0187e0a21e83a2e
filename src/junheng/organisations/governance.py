"""A cluster's governance (S2 二(一)2, R-A6) and the changes of its membership while it creates model status
(S2 二(一)1, R-A4).

Governance documents are versions: each row is one version of one kind of document, adopted on a date; adopting a
later version marks the earlier adopted ones as revised (`services.governance_document_save`). Work meetings are
the meetings the work-meeting system asks for. A membership change while the cluster is creating model status is
a request with its reason, decided by the district bureau; approving it applies it to the dated memberships."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.imports import EVIDENCE_SUFFIXES, file_size_within_limit
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope

from .choices import ChangeKind, ChangeStatus, DocumentStatus, GovernanceKind, Tier
from .models import Cluster, School


class ClusterWorkQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the cluster; recorded by its district bureau and its own office."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class GovernanceDocument(DetailPage, models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="governance_documents"
    )
    kind = models.CharField(_("kind of document"), max_length=30, choices=GovernanceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="governance/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_SUFFIXES), file_size_within_limit],
    )
    council_members = models.TextField(
        _("members"), blank=True, help_text=_("For a council or management committee: one member per line.")
    )
    note = models.TextField(_("note"), blank=True)

    objects = ClusterWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "kind", "-version"]
        verbose_name = _("governance document")
        verbose_name_plural = _("governance documents")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "kind", "version"],
                name="governance_document_unique_version",
                violation_error_message=_("The cluster already has this version of this document."),
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT) | Q(adopted_on__isnull=False),
                name="governance_document_adopted_has_date",
                violation_error_message=_("An adopted document has the date it was adopted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def in_force(self) -> bool:
        """Adopted, as first adopted or as revised since (a revised version stays adopted history)."""
        return self.status != DocumentStatus.DRAFT


class WorkMeeting(DetailPage, models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="work_meetings"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("subject"), max_length=200)
    attendees = models.TextField(_("attendance"), help_text=_("Who attended, one per line."))
    present = models.PositiveSmallIntegerField(_("number present"), default=0)
    minutes = models.TextField(_("minutes"))
    minutes_file = models.FileField(
        _("minutes file"),
        upload_to="meetings/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_SUFFIXES), file_size_within_limit],
    )

    objects = ClusterWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-held_on"]
        verbose_name = _("work meeting")
        verbose_name_plural = _("work meetings")

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class MembershipChange(DetailPage, models.Model):
    """A school joins, leaves or changes tier in a cluster creating model status: proposed with a reason,
    approved (and so applied) or refused by the district bureau."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="membership_changes"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    tier = models.CharField(
        _("new tier"),
        max_length=10,
        choices=Tier.choices,
        blank=True,
        help_text=_("For a join or a tier change."),
    )
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeStatus.choices,
        default=ChangeStatus.PROPOSED,
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision note"), blank=True, editable=False)

    objects = ClusterWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-effective_on"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ChangeKind.LEAVE) | ~Q(tier=""),
                name="membership_change_names_tier",
                violation_error_message=_("A school that joins or changes tier is given its new tier."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="membership_change_has_reason",
                violation_error_message=_("A membership change gives its reason."),
            ),
            models.CheckConstraint(
                condition=Q(status=ChangeStatus.PROPOSED, decided_on__isnull=True)
                | (~Q(status=ChangeStatus.PROPOSED) & Q(decided_on__isnull=False)),
                name="membership_change_decided_has_date",
                violation_error_message=_("A decided change has the date of its decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.get_kind_display()} · {self.cluster}"
