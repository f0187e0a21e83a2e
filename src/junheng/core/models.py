import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scope import RestrictedQuerySet, Scope


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def issue(self, user: Any, label: str = "") -> str:
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
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])  # who was given or lost a token

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.label or self.created_at:%Y-%m-%d}"


def ends_after_start(
    name: str, start: str = "start_date", end: str = "end_date", open_end: bool = True, message: Any = None
) -> Any:
    """The named database check that a period does not end before it starts (an open end is allowed)."""
    after = Q(**{f"{end}__gte": models.F(start)})
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | after if open_end else after,
        name=name,
        violation_error_message=message or _("The end date is before the start date."),
    )


class DetailPage:
    """Models listed in the resource registry: their page is `<app>:<model>_detail`."""

    pk: Any
    _meta: Any

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])


class SecurityEvent(models.Model):
    """What the platform's guards saw: failed logins and API tokens, and the lockouts they led to. Written once,
    never changed; read by administrators in the admin site (安全事件)."""

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGIN_LOCKED = "login_locked", "登录锁定"
        TOKEN_FAILED = "token_failed", "API 令牌错误"
        TOKEN_THROTTLED = "token_throttled", "API 令牌暂停受理"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "安全事件"
        verbose_name_plural = "安全事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "ip_address", "at"], name="security_event_by_address"),
            models.Index(fields=["kind", "username", "at"], name="security_event_by_username"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username or self.ip_address or ''}".strip()


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        # A job is seen by the user who started it; the municipal commission (scope.everything) sees all.
        return Q(created_by=scope.user_id)


class ImportJob(models.Model):
    """One uploaded sheet of records, checked and saved by the background worker (`junheng db_worker`): every
    row is saved, or none. The page that received it shows its progress and, when refused, its errors."""

    title = models.CharField(_("import"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    # Where the worker finds the sheet's kind again: a function (actor, key) -> TabularImport, and its key.
    factory = models.CharField(max_length=200, editable=False)
    key = models.CharField(max_length=100, blank=True, editable=False)
    page = models.CharField(max_length=300, editable=False)  # the import page, which also shows the job
    language = models.CharField(max_length=10, blank=True, editable=False)  # the uploader's, for its messages
    incoming = models.CharField(max_length=300, blank=True, editable=False)  # relative to MEDIA_ROOT
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    saved = models.PositiveIntegerField(_("records saved"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.title} · {self.name}"

    def get_absolute_url(self) -> str:
        return f"{self.page}?job={self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
