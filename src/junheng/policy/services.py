"""Writes of the policy app: copying an edition to start a new round."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.services import object_save

from .models import PolicyEdition


@transaction.atomic
def edition_copy(*, actor: Any, edition: PolicyEdition, code: str, name: str) -> PolicyEdition:
    """A new edition with the same thresholds and clauses, to be adjusted for a new round; audited like any edit."""
    if not scope_for(actor, Action.CHANGE).everything:
        raise PermissionDenied(_("Only the municipal commission edits policy editions."))
    copy = PolicyEdition(
        code=code,
        name=name,
        document_number=edition.document_number,
        period_start=edition.period_start,
        period_end=edition.period_end,
        copied_from=edition,
    )
    object_save(
        actor=actor,
        instance=copy,
        reason=_("Copied from %(code)s") % {"code": edition.code},
        check_scope=False,
    )
    for threshold in edition.thresholds.all():
        threshold.pk = None
        threshold.edition = copy
        object_save(
            actor=actor,
            instance=threshold,
            reason=_("Copied from %(code)s") % {"code": edition.code},
            check_scope=False,
        )
    return copy
