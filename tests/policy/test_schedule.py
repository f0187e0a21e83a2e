"""Fresh findings: the daily check runs every begun edition for the whole city once a day, `setup` runs it so a
new platform never shows an empty board, and an import of pairing work has its districts checked again."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from junheng.policy.models import ComplianceRun, Finding

pytestmark = pytest.mark.django_db


def test_the_daily_check_runs_each_begun_edition_once_a_day() -> None:
    call_command("compliance_schedule", "--as-of", "2024-05-01", stdout=StringIO())
    runs = ComplianceRun.objects.filter(district__isnull=True)
    assert sorted(runs.values_list("edition__code", flat=True)) == ["S1", "S2"]
    out = StringIO()
    call_command("compliance_schedule", "--as-of", "2024-05-01", stdout=out)
    assert runs.count() == 2 and "无需重复" in out.getvalue()
    call_command("compliance_schedule", "--as-of", "2024-05-02", stdout=StringIO())
    assert runs.count() == 4


def test_before_a_later_edition_begins_only_the_earlier_one_runs() -> None:
    call_command("compliance_schedule", "--as-of", "2022-06-10", stdout=StringIO())
    assert list(ComplianceRun.objects.values_list("edition__code", flat=True)) == ["S1"]


def test_an_import_of_interactions_has_its_district_checked_again(
    tmp_path: Path, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    sheet = tmp_path / "interactions.csv"
    sheet.write_text("受援学校,日期,形式\n金泽小学,2021-03-03,现场\n", encoding="utf-8-sig")  # 青浦区
    with django_capture_on_commit_callbacks(execute=True) as queued:
        call_command("import", "interactions", str(sheet), stdout=StringIO())
    assert len(queued) == 1 and not ComplianceRun.objects.exists()  # queued, not run in the import
    # The worker closes connections between tasks; inside the test's transaction that would drop it (PostgreSQL).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run = ComplianceRun.objects.get(edition__code="S1")
    assert run.district is not None and run.district.code == "310118" and run.as_of == date.today()
    assert Finding.objects.filter(run=run, subject_name__startswith="金泽小学").exists()


def test_a_failed_import_queues_nothing(tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    sheet = tmp_path / "interactions.csv"
    sheet.write_text("受援学校,日期,形式\n金泽小学,2021-13-03,现场\n", encoding="utf-8-sig")
    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(CommandError):
        call_command("import", "interactions", str(sheet), stdout=StringIO())
    assert queued == []
