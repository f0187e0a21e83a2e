"""Browser journeys run against the platform as `make run` serves it: a fresh SQLite database prepared by
`junheng setup`, served by gunicorn in a subprocess, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "e2e-password-1"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def prepared_home(tmp_path_factory: Any) -> Path:
    """The platform's home folder as `junheng setup` leaves it, prepared once; each server runs on a copy."""
    if not CHROMIUM.exists():
        if os.environ.get("JUNHENG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"browser tests left out: {CHROMIUM} is not installed")
    home = tmp_path_factory.mktemp("prepared")
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "junheng", "setup", "--skip-static"],
        env=platform_env(home),
        check=True,
        capture_output=True,
    )
    return home


def platform_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{home / 'e2e.sqlite3'}",
        "JUNHENG_HOME": str(home),
        "JUNHENG_SECRET_KEY": "e2e-secret",
        "JUNHENG_DEMO_PASSWORD": PASSWORD,
    }


@contextmanager
def serving(prepared: Path, home: Path) -> Iterator[str]:
    """Serves a copy of the prepared platform with gunicorn, as `make run` does; yields its address."""
    shutil.copytree(prepared, home, dirs_exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "junheng.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=platform_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def platform_url(prepared_home: Path, tmp_path_factory: Any) -> Iterator[str]:
    """The platform the journeys share."""
    with serving(prepared_home, tmp_path_factory.mktemp("platform")) as url:
        yield url


@pytest.fixture
def scratch_platform_url(prepared_home: Path, tmp_path: Path) -> Iterator[str]:
    """A platform of the test's own, for a test that sends forms which change records."""
    with serving(prepared_home, tmp_path / "platform") as url:
        yield url


@pytest.fixture(scope="session")
def browser(platform_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(
        accept_downloads=True, locale="zh-CN", viewport={"width": 1400, "height": 900}
    )
    yield context.new_page()
    context.close()
