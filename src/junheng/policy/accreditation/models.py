"""An application for model status and the steps it went through. The database keeps the order: a status goes
with the dates of the steps that lead to it, and a step moves only between the statuses the workflow joins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster


class AccreditationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")
    RECOMMENDED = "recommended", _("Recommended by the district")
    ACCREDITED = "accredited", _("Accredited")
    RETURNED = "returned", _("Returned")


class Step(models.TextChoices):
    APPLY = "apply", _("Apply")
    RECOMMEND = "recommend", _("Recommend")
    ACCREDIT = "accredit", _("Accredit")
    RETURN = "return", _("Return")


S = AccreditationStatus
# step → (the statuses it starts from, the status it leads to); the database check below spells the same pairs.
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    Step.APPLY: ((S.DRAFT, S.RETURNED), S.APPLIED),
    Step.RECOMMEND: ((S.APPLIED,), S.RECOMMENDED),
    Step.ACCREDIT: ((S.RECOMMENDED,), S.ACCREDITED),
    Step.RETURN: ((S.RECOMMENDED,), S.RETURNED),
}
OPEN = (S.DRAFT, S.APPLIED, S.RECOMMENDED)


class AccreditationQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the cluster; the application's statement is written by the cluster's office or its
    district bureau. The steps have their own rule of who takes them (services.may_take)."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class Accreditation(DetailPage, models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="accreditations"
    )
    statement = models.TextField(
        _("application statement"), blank=True, help_text=_("What the cluster puts forward for model status.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AccreditationStatus.choices, default=S.DRAFT, editable=False
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True, editable=False)
    recommended_on = models.DateField(_("recommended on"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)

    objects = AccreditationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("accreditation application")
        verbose_name_plural = _("accreditation applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=S.DRAFT, applied_on__isnull=True, recommended_on__isnull=True)
                | Q(status=S.APPLIED, applied_on__isnull=False, recommended_on__isnull=True)
                | Q(status=S.RECOMMENDED, applied_on__isnull=False, recommended_on__isnull=False)
                | Q(
                    status__in=(S.ACCREDITED, S.RETURNED),
                    applied_on__isnull=False,
                    recommended_on__isnull=False,
                ),
                name="accreditation_status_follows_its_steps",
                violation_error_message=_(
                    "An application reaches a status only through the steps before it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, status__in=(S.DRAFT, S.APPLIED, S.RECOMMENDED))
                | Q(decided_on__isnull=False, status__in=(S.ACCREDITED, S.RETURNED))
                # a returned application applies again: its return stays dated until the next decision
                | Q(decided_on__isnull=False, status=S.APPLIED),
                name="accreditation_decided_has_date",
                violation_error_message=_("A decided application has the date of its decision."),
            ),
            models.CheckConstraint(
                condition=Q(recommended_on__isnull=True) | Q(recommended_on__gte=F("applied_on")),
                name="accreditation_recommended_after_applied",
                violation_error_message=_("An application is recommended after it is made."),
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(status__in=OPEN),
                name="accreditation_one_open_per_cluster",
                violation_error_message=_("The cluster already has an open application."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.get_status_display()}"


class AccreditationStep(models.Model):
    """One step taken: who, when, from which status to which, and the comment (the audit of the workflow)."""

    accreditation = models.ForeignKey(
        Accreditation, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=AccreditationStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=AccreditationStatus.choices)
    # empty only for the platform's own records (the demo city)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["accreditation", "taken_at", "pk"]
        verbose_name = _("accreditation step")
        verbose_name_plural = _("accreditation steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(step=Step.APPLY, from_status__in=(S.DRAFT, S.RETURNED), to_status=S.APPLIED)
                | Q(step=Step.RECOMMEND, from_status=S.APPLIED, to_status=S.RECOMMENDED)
                | Q(step=Step.ACCREDIT, from_status=S.RECOMMENDED, to_status=S.ACCREDITED)
                | Q(step=Step.RETURN, from_status=S.RECOMMENDED, to_status=S.RETURNED),
                name="accreditation_step_in_order",
                violation_error_message=_("A step moves an application only to the status that follows."),
            ),
            models.CheckConstraint(
                condition=~Q(step=Step.RETURN) | ~Q(comment=""),
                name="accreditation_return_says_why",
                violation_error_message=_("A returned application says why."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.taken_at:%Y-%m-%d}"
