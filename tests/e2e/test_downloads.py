"""A download that takes a while shows a spinner until the file arrives, and the browser saves it under its Chinese
name (issue 13.9, 13.10) — in a real browser, under the platform's content security policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl

from .test_district_journey import log_in


def test_an_export_arrives_under_its_chinese_name(page: Any, platform_url: str, tmp_path: Path) -> None:
    log_in(page, platform_url, "district-310113")
    page.goto(f"{platform_url}/registry/schools/")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    with page.expect_download() as download:
        page.click("[data-export=xlsx]")
    assert re.fullmatch(r"学校-\d{8}\.xlsx", download.value.suggested_filename)
    saved = tmp_path / "schools.xlsx"
    download.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert len(rows) > 1 and {r[2] for r in rows[1:]} == {"宝山区"}
    assert page.locator("[data-export=xlsx] .spinner-border").count() == 0  # the link is itself again
    assert errors == []
