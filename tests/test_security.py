"""The platform's guards: login lockout, the pause after wrong API tokens, password rules, the Content-Security-
Policy and the other headers, private caching, the production switch and a secret key that settings never write."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

import junheng
from junheng.core.models import ApiToken, SecurityEvent
from junheng.demo.accounts import ensure_demo_accounts
from junheng.organisations.choices import Role
from junheng.policy.models import PolicyEdition

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

TEMPLATES = Path(junheng.__file__).parent / "templates"
LOCKED = "登录失败次数过多，账号已暂时锁定"
START = datetime(2026, 3, 2, 14, 20, tzinfo=timezone.get_default_timezone())


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


# Login lockout -------------------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_until_fifteen_minutes_pass(
    make_user: Any,
) -> None:
    user = make_user(Role.MUNICIPAL)
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        for _attempt in range(4):
            response = log_in(client, user.username, "wrong-password")
            assert response.status_code == 200 and LOCKED not in response.content.decode()
        fifth = log_in(client, user.username, "wrong-password")
        assert fifth.status_code == 429
        assert "请于 15 分钟后（14:35 之后）再试。" in fifth.content.decode()

        clock.shift(timedelta(minutes=5))
        refused = log_in(client, user.username, PASSWORD)
        assert not logged_in(refused)
        page = refused.content.decode()
        assert f"{LOCKED}，请于 10 分钟后（14:35 之后）再试。" in page
        assert 'id="id_username"' in page  # the login page itself, with the reason
        assert client.get("/").status_code == 302  # not logged in

        clock.shift(timedelta(minutes=11))
        assert logged_in(log_in(client, user.username, PASSWORD))


def test_the_lock_holds_one_user_name_from_one_address(make_user: Any) -> None:
    user = make_user(Role.MUNICIPAL)
    other = make_user(Role.MUNICIPAL)
    for _attempt in range(5):
        log_in(Client(), user.username, "wrong-password")
    assert not logged_in(log_in(Client(), user.username, PASSWORD))
    assert logged_in(log_in(Client(REMOTE_ADDR="10.20.30.40"), user.username, PASSWORD))
    assert logged_in(log_in(Client(), other.username, PASSWORD))


def test_failures_older_than_fifteen_minutes_no_longer_count(make_user: Any) -> None:
    user = make_user(Role.MUNICIPAL)
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        # five failures in twenty minutes, ten minutes apart: never five within fifteen
        for failures in (2, 2, 1):
            clock.shift(timedelta(minutes=10))
            for _attempt in range(failures):
                log_in(client, user.username, "wrong-password")
        clock.shift(timedelta(minutes=1))
        assert logged_in(log_in(client, user.username, PASSWORD))
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_LOCKED).exists()


def test_a_successful_login_starts_the_count_again(make_user: Any) -> None:
    user = make_user(Role.MUNICIPAL)
    for _attempt in range(4):
        log_in(Client(), user.username, "wrong-password")
    assert logged_in(log_in(Client(), user.username, PASSWORD))
    for _attempt in range(4):
        log_in(Client(), user.username, "wrong-password")
    assert logged_in(log_in(Client(), user.username, PASSWORD))


def test_every_lockout_is_in_the_audit(make_user: Any) -> None:
    user = make_user(Role.MUNICIPAL)
    for _attempt in range(7):
        log_in(Client(), user.username, "wrong-password")
    locks = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_LOCKED)
    assert [(e.username, e.ip_address) for e in locks] == [(user.username, "127.0.0.1")]  # once per lock
    assert (
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, username=user.username).count()
        == 5
    )

    administrator = get_user_model().objects.create_superuser("security-admin", password="Secur1ty-admin-pw")
    client = Client()
    client.force_login(administrator)
    page = client.get("/admin/core/securityevent/").content.decode()
    assert user.username in page and "登录锁定" in page


def test_logins_without_a_request_still_work(make_user: Any) -> None:
    user = make_user(Role.MUNICIPAL)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.force_login(user)
    assert client.get("/").status_code == 200


# API tokens ----------------------------------------------------------------------------------------------------


def test_twenty_wrong_tokens_pause_every_token_from_that_address(municipal: Any) -> None:
    token = ApiToken.objects.issue(municipal)
    wrong = Client(headers={"authorization": "Bearer wrong-token"})
    right = Client(headers={"authorization": f"Bearer {token}"})
    elsewhere = Client(headers={"authorization": f"Bearer {token}"}, REMOTE_ADDR="10.1.2.3")
    with time_machine.travel(START, tick=False) as clock:
        assert [wrong.get("/api/v1/districts/").status_code for _ in range(20)] == [401] * 20
        refused = wrong.get("/api/v1/districts/")
        assert refused.status_code == 429
        assert refused.json() == {"detail": "API 令牌错误次数过多，请 15 分钟后再试。"}
        assert right.get("/api/v1/districts/").status_code == 429
        assert elsewhere.get("/api/v1/districts/").status_code == 200

        clock.shift(timedelta(minutes=14))
        assert right.get("/api/v1/districts/").status_code == 429
        clock.shift(timedelta(minutes=1, seconds=1))
        assert right.get("/api/v1/districts/").status_code == 200
    paused = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_THROTTLED)
    assert [e.ip_address for e in paused] == ["127.0.0.1"]


def test_wrong_tokens_spread_over_more_than_fifteen_minutes_do_not_pause(municipal: Any) -> None:
    token = ApiToken.objects.issue(municipal)
    wrong = Client(headers={"authorization": "Bearer wrong-token"})
    with time_machine.travel(START, tick=False) as clock:
        for _attempt in range(19):
            wrong.get("/api/v1/districts/")
        clock.shift(timedelta(minutes=16))
        wrong.get("/api/v1/districts/")
        response = Client(headers={"authorization": f"Bearer {token}"}).get("/api/v1/districts/")
    assert response.status_code == 200


# Passwords -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["12345678", "password1", "short7!", "district-310101"])
def test_weak_passwords_are_refused(password: str) -> None:
    user = get_user_model()(username="district-310101")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_weak_demo_password_stops_setup_with_the_reason(monkeypatch: Any) -> None:
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "12345678")
    with pytest.raises(CommandError, match=r"JUNHENG_DEMO_PASSWORD.*密码"):
        call_command("setup", skip_static=True, stdout=StringIO())
    with pytest.raises(ValidationError):
        ensure_demo_accounts()
    assert not get_user_model().objects.filter(username="municipal").exists()


def test_a_demo_password_like_the_account_name_is_refused(monkeypatch: Any) -> None:
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "municipal1")
    with pytest.raises(ValidationError):
        ensure_demo_accounts()


def test_generated_demo_passwords_are_not_held_to_the_rules(monkeypatch: Any) -> None:
    monkeypatch.delenv("JUNHENG_DEMO_PASSWORD", raising=False)
    created, password = ensure_demo_accounts()
    assert created and password
    assert get_user_model().objects.get(username="municipal").check_password(password)


# Content-Security-Policy and other headers ---------------------------------------------------------------------


class Scripts(HTMLParser):
    """Every <script> element's attributes, and every element's inline event handler."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers += [f"<{tag} {name}>" for name, _value in attrs if name.startswith("on")]


def inline_code(html: str) -> list[str]:
    parser = Scripts()
    parser.feed(html)
    inline = [str(s) for s in parser.scripts if "src" not in s and s.get("type") != "application/json"]
    return inline + parser.handlers


def policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_that_allows_only_the_platforms_own_scripts(municipal: Any) -> None:
    client = Client()
    client.force_login(municipal)
    directives = policy(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "'unsafe-eval'" not in str(directives)
    assert "Content-Security-Policy" in Client().get("/login/")


def test_pages_with_charts_run_no_inline_script(municipal: Any) -> None:
    client = Client()
    client.force_login(municipal)
    created = client.post(
        "/policy/runs/", {"edition": PolicyEdition.objects.get(code="S1").pk, "as_of": date(2022, 7, 15)}
    )
    pages = ["/", "/programmes/charts/", "/policy/runs/", created["Location"]]
    for url in pages:
        html = client.get(url).content.decode()
        assert "echarts.min.js" in html, url
        assert inline_code(html) == [], url
        for script in re.findall(r'<script src="/static/([^"]+)"', html):
            assert finders.find(script), script


def test_no_template_holds_inline_script_or_event_handlers() -> None:
    found = {}
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        code = [s for s in re.findall(r"<script\b[^>]*>", text) if "src=" not in s]
        code += re.findall(r"\son[a-z]+\s*=", text)
        code += re.findall(r"javascript:", text)
        if code:
            found[str(template.relative_to(TEMPLATES))] = code
    assert found == {}


def test_the_chart_scripts_read_their_data_from_json_elements() -> None:
    for name in (
        "overview-chart",
        "cluster-charts",
        "compliance-share-chart",
        "compliance-trend-chart",
        "programme-charts",
    ):
        source = Path(finders.find(f"junheng/{name}.js")).read_text(encoding="utf-8")
        assert "JSON.parse(document.getElementById(" in source and "{%" not in source


def test_browser_features_the_platform_never_uses_are_switched_off() -> None:
    header = Client().get("/login/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


# Caching -------------------------------------------------------------------------------------------------------


def private(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_what_a_logged_in_user_sees_is_not_cached(municipal: Any) -> None:
    client = Client()
    client.force_login(municipal)
    assert private(client.get("/"))
    assert private(client.get("/registry/schools/"))
    export = client.get("/registry/schools/", {"export": "xlsx"})
    assert export.status_code == 200 and private(export)
    token = ApiToken.objects.issue(municipal)
    assert private(Client(headers={"authorization": f"Bearer {token}"}).get("/api/v1/districts/"))
    assert private(Client().get("/api/v1/districts/"))  # refusals too


def test_public_pages_are_not_forced_private() -> None:
    assert not private(Client().get("/public/"))


# Production switch and the secret key --------------------------------------------------------------------------


def junheng_command(*args: str, env: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JUNHENG_", "DJANGO_")) and name != "DATABASE_URL"
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "junheng"), *args],
        env={**keep, "JUNHENG_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_in_production(tmp_path: Path) -> None:
    env = {
        "JUNHENG_PRODUCTION": "1",
        "JUNHENG_SECRET_KEY": secrets.token_urlsafe(60),
        "JUNHENG_ALLOWED_HOSTS": "junheng.example.edu.cn",
        "JUNHENG_DEBUG": "1",  # forced off
    }
    checked = junheng_command("check", "--deploy", "--fail-level", "WARNING", env=env, home=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "WARNING" not in checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_long_secret_key(tmp_path: Path, key: str | None) -> None:
    env = {"JUNHENG_PRODUCTION": "1", "JUNHENG_ALLOWED_HOSTS": "junheng.example.edu.cn"}
    if key:
        env["JUNHENG_SECRET_KEY"] = key
    checked = junheng_command("check", env=env, home=tmp_path)
    assert checked.returncode != 0
    assert "JUNHENG_SECRET_KEY" in checked.stderr and "50" in checked.stderr


def test_reading_settings_writes_nothing(tmp_path: Path) -> None:
    shown = junheng_command(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        env={},
        home=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert int(shown.stdout) >= 50
    assert list(tmp_path.iterdir()) == []


def test_setup_writes_the_key_file_once_readable_by_its_owner_only(
    tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.delenv("JUNHENG_SECRET_KEY", raising=False)
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "demo-password-1")
    settings.JUNHENG_SECRET_KEY_FILE = tmp_path / "var" / "secret_key"
    call_command("setup", skip_static=True, stdout=StringIO())
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text()
    assert len(key.strip()) >= 50 and key_file.stat().st_mode & 0o777 == 0o600
    call_command("setup", skip_static=True, stdout=StringIO())
    assert key_file.read_text() == key

    shown = junheng_command(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        home=tmp_path,
    )
    assert shown.stdout.strip() == key.strip()


def test_setup_leaves_the_key_file_alone_when_the_key_is_in_the_environment(
    tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("JUNHENG_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("JUNHENG_DEMO_PASSWORD", "demo-password-1")
    settings.JUNHENG_SECRET_KEY_FILE = tmp_path / "var" / "secret_key"
    call_command("setup", skip_static=True, stdout=StringIO())
    assert not (tmp_path / "var").exists()
