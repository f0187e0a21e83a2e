"""Shared test data: every test database holds the official roster and the small demo city, loaded once."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from junheng.core.services import object_save
from junheng.demo.city import demo_build
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership

ROSTER_NOTICE = str(files("junheng.programmes") / "data" / "roster-2021-notice.txt")
PASSWORD = "test-password-1"


def pytest_report_header() -> str:
    from pathlib import Path

    if Path("/usr/bin/chromium").exists():
        return "browser tests: included (/usr/bin/chromium)"
    return "browser tests: LEFT OUT — /usr/bin/chromium is not installed (apt-get install chromium)"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("import_roster", ROSTER_NOTICE, verbosity=0)
        demo_build("small")


@pytest.fixture
def make_user(db: Any):
    """make_user(role, organisation=None, can_edit=False) → a user holding that one membership."""
    counter = iter(range(10**6))

    def make(role: str | None = None, organisation: Any = None, can_edit: bool = False, **extra: Any) -> Any:
        user = get_user_model().objects.create_user(
            username=f"user{next(counter)}", password=PASSWORD, **extra
        )
        if role is not None:
            membership = Membership(user=user, role=role, can_edit=can_edit)
            if organisation is not None:
                setattr(membership, type(organisation)._meta.model_name, organisation)
            object_save(actor=None, instance=membership, check_scope=False)
        return user

    return make


@pytest.fixture
def municipal(make_user: Any) -> Any:
    return make_user(Role.MUNICIPAL, can_edit=True)
