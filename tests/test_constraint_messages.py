"""A broken rule of the database reaches the user as a sentence in Chinese, never as the constraint's name; in an
import, it names the row and the column it concerns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from junheng.programmes.models import ResidentAssignment

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_constraint_of_the_platform_has_a_chinese_message() -> None:
    constraints = [
        (model._meta.label, constraint)
        for model in apps.get_models()
        if model.__module__.startswith("junheng.")
        for constraint in model._meta.constraints
    ]
    assert len(constraints) > 30
    with translation.override("zh-hans"):
        unexplained = [
            f"{label}.{constraint.name}"
            for label, constraint in constraints
            if constraint.name in (message := str(constraint.get_violation_error_message()))
            or not CHINESE.search(message)
        ]
    assert unexplained == []


@pytest.mark.django_db
def test_an_imported_row_breaking_a_check_names_its_row_and_column(tmp_path: Path) -> None:
    sheet = tmp_path / "residents.csv"
    sheet.write_text(
        "受援学校,姓名,角色,开始日期,结束日期\n"
        "金泽小学,甲,管理人员,2021-03-01,2021-06-30\n"
        "金泽小学,乙,管理人员,2021-03-01,2021-02-01\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "residents", str(sheet))
    message = str(failed.value)
    assert "第3行，“结束日期”列：结束日期早于开始日期。" in message
    assert "resident_assignment_ends_after_start" not in message and "约束" not in message
    assert not ResidentAssignment.objects.exists()
