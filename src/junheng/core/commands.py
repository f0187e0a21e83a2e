"""What the platform's commands share: acting as a named user (`--user NAME`), within that user's scope."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def user_named(name: str | None) -> Any:
    """The active user of that name; None when no name is given (the operator acts for the whole platform)."""
    if not name:
        return None
    account = get_user_model().objects.filter(username=name, is_active=True).first()
    if account is None:
        raise CommandError(_("No user named %(name)s.") % {"name": name})
    return account
