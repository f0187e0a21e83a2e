"""A district administrator makes a school editor, who then logs in and sees only its school — in a real browser."""

from __future__ import annotations

from typing import Any

from .test_district_journey import district_column, log_in

NEW_PASSWORD = "Luojing-2026-editor"


def test_a_district_administrator_makes_a_school_editor(page: Any, platform_url: str, browser: Any) -> None:
    log_in(page, platform_url, "district-310113")
    page.get_by_role("button", name="管理", exact=True).click()  # the menu
    page.get_by_role("link", name="角色与账号", exact=True).click()
    page.wait_for_url("**/accounts/roles/")
    page.get_by_role("link", name="授予角色").first.click()
    page.wait_for_url("**/accounts/roles/grant/")
    options = page.locator("#id_role option").all_inner_texts()
    assert "市教委" not in options  # nothing above a district bureau is offered

    school = "月浦中心校"
    page.fill("#id_username", "yuepu-office")
    page.fill("#id_full_name", "月浦中心校教务处")
    page.fill("#id_password", NEW_PASSWORD)
    page.select_option("#id_role", label="学校")
    value = page.locator("#id_organisation option", has_text=school).first.get_attribute("value")
    page.select_option("#id_organisation", value=value)
    page.check("#id_can_edit")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/roles/")
    assert "yuepu-office" in page.locator("#roles").inner_text()

    editor = browser.new_context(locale="zh-CN").new_page()
    editor.goto(f"{platform_url}/login/")
    editor.fill("#id_username", "yuepu-office")
    editor.fill("#id_password", NEW_PASSWORD)
    editor.click("main button[type=submit]")
    editor.wait_for_url(f"{platform_url}/")
    editor.goto(f"{platform_url}/registry/schools/")
    names = editor.locator("table tbody tr td:first-child").all_inner_texts()
    assert [name.strip() for name in names] == [school]
    assert set(district_column(editor)) == {"宝山区"}
    editor.goto(f"{platform_url}/accounts/roles/")
    assert school in editor.locator("main").inner_text()
    editor.context.close()
