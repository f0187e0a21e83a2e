"""A district bureau issues one-time links for a school; a parent answers through one without logging in, and the
answer counts in the school's satisfaction; the same link then takes nothing more."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from .test_district_journey import log_in


def test_a_parent_answers_through_a_one_time_link(page: Any, browser: Any, platform_url: str) -> None:
    log_in(page, platform_url, "district-310101")
    page.goto(f"{platform_url}/evaluation/surveys/")
    page.locator("table tbody tr", has_text="黄浦家长满意度调查").locator("a").first.click()
    page.wait_for_url("**/evaluation/surveys/*/")
    school = "黄浦演示第1小学"
    page.select_option("#links-school", label=school)
    page.fill("#links-count", "2")
    with page.expect_download() as download:
        page.click("text=生成一次性填写链接")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    links = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(links) == 2
    page.reload()
    assert "已生成链接 2 个，已填写 0 个" in page.inner_text("main")

    parent = browser.new_context(locale="zh-CN").new_page()  # no login
    parent.goto(links[0])
    assert school in parent.inner_text("main")
    for fieldset in parent.locator("#survey-form fieldset").all():
        fieldset.locator("text=非常满意").click()
    parent.click("#survey-form button[type=submit]")
    assert "已收到您的答卷" in parent.inner_text("main")
    parent.goto(links[0])
    assert "该链接已经使用过" in parent.inner_text("main")

    page.reload()
    assert "已生成链接 2 个，已填写 1 个" in page.inner_text("main")
    row = page.locator("#satisfaction-1 tbody tr", has_text=school).inner_text()
    assert "21" in row  # the demo's 20 answers and this one
