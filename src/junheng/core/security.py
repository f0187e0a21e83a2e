"""The guards in front of the login page and the API, each writing what it sees as security events.

Logins: django-axes locks a user name from one address after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME
(5 within 15 minutes), for AXES_COOLOFF_TIME; while locked, the right password is refused too.

API tokens: after TOKEN_FAILURE_LIMIT wrong tokens from one address within TOKEN_WINDOW (20 within 15 minutes),
every token from that address is refused with 429 until TOKEN_WINDOW after the last wrong one. The failures are
rows in the database, so every worker process sees the same count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .models import SecurityEvent

Kind = SecurityEvent.Kind

TOKEN_FAILURE_LIMIT = 20
TOKEN_WINDOW = timedelta(minutes=15)
TOKEN_THROTTLED_MESSAGE = "API 令牌错误次数过多，请 15 分钟后再试。"


def _local_minute(moment: datetime) -> str:
    """The local time as HH:MM, rounded up to the minute, so that "after 14:35" is never too early."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"{local:%H:%M}"


# Logins --------------------------------------------------------------------------------------------------------


class LoginLockoutBackend(AxesStandaloneBackend):
    """axes' backend, first in AUTHENTICATION_BACKENDS: refuses every password while the user name is locked from
    the caller's address. A call without a request (a script, the test client's login) comes from no address and
    passes on to the next backend, where axes' own backend would stop with an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)  # raises while locked
        return None


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler, counting only the failures of the last AXES_COOLOFF_TIME.

    axes keeps one counter per user name, address and browser, and forgets it only once the *last* failure is
    older than the cool-off: five failures ten minutes apart would lock the account after forty minutes. Here every
    failure is also a security event with its time; before axes counts a new failure, its counter is brought down
    to the failures of the last AXES_COOLOFF_TIME (those after a successful login or a reset only: axes' counter
    never holds more). The lock itself stays axes': it lasts AXES_COOLOFF_TIME from the failure that caused it,
    since failures while locked are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False).
    """

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        # axes counts nothing without a request, nor while the lock holds, nor from a whitelisted client.
        counted = (
            request is not None
            and not request.axes_locked_out
            and not self.is_whitelisted(request, credentials)
        )
        username = (get_client_username(request, credentials) or "") if counted else ""
        if counted:
            self._forget_old_failures(request, username)
            SecurityEvent.objects.create(
                kind=Kind.LOGIN_FAILED,
                username=username,
                ip_address=request.axes_ip_address,
                at=request.axes_attempt_time,
            )
        super().user_login_failed(sender, credentials, request, **kwargs)
        if counted and request.axes_locked_out:  # this failure started the lock
            until = request.axes_attempt_time + get_cool_off(request)
            SecurityEvent.objects.create(
                kind=Kind.LOGIN_LOCKED,
                username=username,
                ip_address=request.axes_ip_address,
                at=request.axes_attempt_time,
                detail=f"{request.axes_failures_since_start} 次登录失败，锁定至 {timezone.localtime(until):%Y-%m-%d %H:%M}",
            )

    def _forget_old_failures(self, request: Any, username: str) -> None:
        since = request.axes_attempt_time - get_cool_off(request)
        attempts = AccessAttempt.objects.filter(username=username or None, ip_address=request.axes_ip_address)
        rows = list(attempts.order_by("-attempt_time", "-id"))
        counted = sum(row.failures_since_start for row in rows)
        recent = SecurityEvent.objects.filter(
            kind=Kind.LOGIN_FAILED, username=username, ip_address=request.axes_ip_address, at__gte=since
        ).count()
        if counted <= recent:
            return
        latest, *older = rows
        AccessAttempt.objects.filter(pk__in=[row.pk for row in older]).delete()
        if recent:
            AccessAttempt.objects.filter(pk=latest.pk).update(failures_since_start=recent)
        else:
            latest.delete()


def login_locked_until(username: str, ip_address: str | None) -> datetime | None:
    """When the lock on this user name from this address ends, or None if there is none."""
    last = (
        AccessAttempt.objects.filter(username=username or None, ip_address=ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return last + get_cool_off() if last is not None else None


def lockout_response(
    request: Any, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The login page with the reason and the time to try again (AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials) or ""
    until = login_locked_until(username, request.axes_ip_address) or timezone.now() + get_cool_off()
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = f"登录失败次数过多，账号已暂时锁定，请于 {minutes} 分钟后（{_local_minute(until)} 之后）再试。"
    context = {"lockout_message": message, "next": request.POST.get("next", "")}
    response = render(
        request, "registration/login.html", context, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    )
    add_never_cache_headers(response)  # as the login page itself
    return response


# API tokens ----------------------------------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """The caller's address, found as axes finds it for the login page."""
    address: str | None = get_client_ip_address(request)
    return address


def token_refused_until(ip_address: str | None) -> datetime | None:
    """The end of the pause for this address, if TOKEN_FAILURE_LIMIT wrong tokens came within TOKEN_WINDOW before
    its last wrong one, and that was less than TOKEN_WINDOW ago."""
    failures = SecurityEvent.objects.filter(kind=Kind.TOKEN_FAILED, ip_address=ip_address)
    last = (
        failures.filter(at__gt=timezone.now() - TOKEN_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last is None:
        return None
    if failures.filter(at__gte=last - TOKEN_WINDOW, at__lte=last).count() < TOKEN_FAILURE_LIMIT:
        return None
    return last + TOKEN_WINDOW


def record_token_failure(ip_address: str | None) -> None:
    """Counts a wrong token; the one that reaches the limit starts the pause, logged once."""
    now = timezone.now()
    SecurityEvent.objects.create(kind=Kind.TOKEN_FAILED, ip_address=ip_address, at=now)
    recent = SecurityEvent.objects.filter(
        kind=Kind.TOKEN_FAILED, ip_address=ip_address, at__gte=now - TOKEN_WINDOW
    )
    if recent.count() < TOKEN_FAILURE_LIMIT:
        return
    logged = SecurityEvent.objects.filter(
        kind=Kind.TOKEN_THROTTLED, ip_address=ip_address, at__gt=now - TOKEN_WINDOW
    )
    if not logged.exists():
        SecurityEvent.objects.create(
            kind=Kind.TOKEN_THROTTLED,
            ip_address=ip_address,
            at=now,
            detail=f"{TOKEN_FAILURE_LIMIT} 次 API 令牌错误，暂停受理至 {timezone.localtime(now + TOKEN_WINDOW):%Y-%m-%d %H:%M}",
        )
