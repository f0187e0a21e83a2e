"""A district user logs in, sees only their district's schools, filters, exports Excel, opens a pairing and its
history — in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from .conftest import PASSWORD


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def district_column(page: Any) -> list[str]:
    headers = page.locator("table thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if text.strip() == "区") + 1
    return page.locator(f"table tbody tr td:nth-child({column})").all_inner_texts()


def test_district_user_journey(page: Any, platform_url: str, tmp_path: Path) -> None:
    log_in(page, platform_url, "district-310113")
    assert page.locator("#compliance-chart canvas").count() == 1  # the ECharts chart rendered

    page.get_by_role("button", name="名册", exact=True).click()  # the menu
    page.get_by_role("link", name="学校", exact=True).click()
    page.wait_for_url("**/registry/schools/")
    assert set(district_column(page)) == {"宝山区"}

    page.fill("#id_q", "中学")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**q=%E4%B8%AD%E5%AD%A6**")
    names = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert names and all("中学" in name for name in names)
    assert set(district_column(page)) == {"宝山区"}

    with page.expect_download() as download:
        page.click("[data-export=xlsx]")
    saved = tmp_path / "schools.xlsx"
    download.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted(names)
    assert {r[2] for r in rows[1:]} == {"宝山区"}

    page.get_by_role("button", name="携手共进计划", exact=True).click()
    page.get_by_role("link", name="结对", exact=True).click()
    page.wait_for_url("**/programmes/pairings/")
    page.locator("table tbody tr", has_text="月浦中心校").locator("a").first.click()
    page.wait_for_url("**/programmes/pairings/*/")
    assert "杨浦小学" in page.inner_text("main")
    page.get_by_role("link", name="变更历史").click()
    page.wait_for_url("**/history/")
    assert "新建" in page.inner_text("#history")
    assert "官方名单" in page.inner_text("#history")
