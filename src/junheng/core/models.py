import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, label: str = "") -> str:
        """Creates a token for the user and returns its only plain copy; the database keeps a hash."""
        token = secrets.token_urlsafe(32)
        self.create(user=user, key_hash=hash_token(token), label=label)
        return token


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.label or self.created_at:%Y-%m-%d}"


def ends_after_start(
    name: str, start: str = "start_date", end: str = "end_date", open_end: bool = True
) -> Any:
    """The named database check that a period does not end before it starts (an open end is allowed)."""
    after = Q(**{f"{end}__gte": models.F(start)})
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | after if open_end else after, name=name
    )


class DetailPage:
    """Models listed in the resource registry: their page is `<app>:<model>_detail`."""

    pk: Any
    _meta: Any

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])
