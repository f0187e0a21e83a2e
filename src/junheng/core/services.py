"""Audited writes shared by every app: validation, the history record and the scope re-check in one transaction."""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from .choices import Action
from .scope import can

M = TypeVar("M", bound=models.Model)


def _stamp(instance: models.Model, actor: Any, reason: str) -> None:
    # django-simple-history reads these when it writes the history row in the same transaction.
    instance._history_user = actor if actor is not None and actor.is_authenticated else None  # type: ignore[attr-defined]  # read by django-simple-history
    instance._change_reason = reason  # type: ignore[attr-defined]  # likewise


@transaction.atomic
def object_save(*, actor: Any, instance: M, reason: str = "", check_scope: bool = True) -> M:
    """Validates and saves; with check_scope, the saved object must still lie in the actor's editing scope."""
    instance.full_clean()
    _stamp(instance, actor, reason)
    instance.save()
    if check_scope and not can(actor, Action.CHANGE, instance):
        raise PermissionDenied(_("The record would leave the organisations you may edit."))
    return instance


@transaction.atomic
def object_delete(*, actor: Any, instance: models.Model, reason: str = "") -> None:
    _stamp(instance, actor, reason)
    instance.delete()


@transaction.atomic
def object_restore(*, actor: Any, history_record: Any) -> models.Model:
    """Brings a deleted record back as it was when deleted; the restore itself is audited."""
    instance = history_record.instance
    _stamp(instance, actor, _("Restored"))
    instance.full_clean(validate_unique=True)
    instance.save(force_insert=True)
    restored: models.Model = instance
    return restored
