"""The only way through an application: `take_step`. Who takes a step is asked first (403 for a role that never
takes it, saying who does), then whether the application stands where the step starts (409). Each step is
recorded with who, when and the comment, and the database refuses a step out of order."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.services import object_save
from junheng.organisations.choices import ModelStatus
from junheng.organisations.services import StepConflict

from .models import STEPS, Accreditation, AccreditationStatus, AccreditationStep, Step

# Who takes each step, and what the others are told.
TAKER = {
    Step.APPLY: "cluster",
    Step.RECOMMEND: "district",
    Step.ACCREDIT: "municipal",
    Step.RETURN: "municipal",
}
REFUSALS = {
    "cluster": gettext_lazy("Only the cluster's own office applies for model status."),
    "district": gettext_lazy("Only the cluster's district bureau recommends an application."),
    "municipal": gettext_lazy("Only the municipal commission accredits or returns an application."),
}


def may_take(actor: Any, accreditation: Accreditation, step: str) -> bool:
    scope = scope_for(actor, Action.CHANGE)
    who = TAKER[Step(step)]
    if who == "municipal":
        return scope.everything
    if who == "district":
        return accreditation.cluster.district_id in scope.districts
    return accreditation.cluster_id in scope.clusters


@transaction.atomic
def take_step(*, actor: Any, accreditation: Accreditation, step: str, comment: str = "") -> Accreditation:
    if step not in STEPS:
        raise ValidationError(_("No such step."))
    if not may_take(actor, accreditation, step):
        raise PermissionDenied(str(REFUSALS[TAKER[Step(step)]]))
    application: Accreditation = (
        Accreditation.objects.select_for_update().select_related("cluster").get(pk=accreditation.pk)
    )
    starts, leads_to = STEPS[step]
    if application.status not in starts:
        raise StepConflict(
            _("The application is %(status)s; %(step)s needs it %(needed)s.")
            % {
                "status": application.get_status_display(),
                "step": Step(step).label,
                "needed": "、".join(str(AccreditationStatus(s).label) for s in starts),
            }
        )
    cluster = application.cluster
    if step == Step.APPLY and cluster.model_status != ModelStatus.CREATING:
        raise StepConflict(_("Only a cluster creating model status applies for it."))
    if step == Step.RETURN and not comment.strip():
        raise ValidationError(_("A returned application says why."))
    today = timezone.localdate()
    before = application.status
    if step == Step.APPLY:
        application.applied_on, application.recommended_on = today, None
    elif step == Step.RECOMMEND:
        application.recommended_on = today
    else:
        application.decided_on = today
    application.status = leads_to
    reason = f"{Step(step).label}：{comment}" if comment else str(Step(step).label)
    object_save(actor=actor, instance=application, reason=reason, check_scope=False)
    record = AccreditationStep(
        accreditation=application,
        step=step,
        from_status=before,
        to_status=leads_to,
        actor=actor,
        comment=comment,
    )
    record.full_clean(exclude=["taken_at"])
    record.save()
    if step == Step.ACCREDIT:
        cluster.model_status = ModelStatus.ACCREDITED
        object_save(
            actor=actor, instance=cluster, reason=_("Accredited as a model cluster"), check_scope=False
        )
    return application


def next_steps(actor: Any, accreditation: Accreditation) -> list[tuple[str, str]]:
    """The steps the actor may take now, as (step, button label)."""
    return [
        (str(step), str(Step(step).label))
        for step, (starts, _leads) in STEPS.items()
        if accreditation.status in starts and may_take(actor, accreditation, step)
    ]


# What the application's editors may change, and when.
@transaction.atomic
def accreditation_save(*, actor: Any, instance: Accreditation) -> Accreditation:
    """A new application is a draft; its statement changes while it is a draft or returned, and its cluster never."""
    if instance.pk is not None:
        stored = Accreditation.objects.get(pk=instance.pk)
        if stored.cluster_id != instance.cluster_id:
            raise ValidationError({"cluster": _("An application stays with its cluster.")})
        if stored.status not in (AccreditationStatus.DRAFT, AccreditationStatus.RETURNED):
            raise ValidationError(_("The application is under review; its statement no longer changes."))
    else:
        instance.status = AccreditationStatus.DRAFT
    return object_save(actor=actor, instance=instance)
