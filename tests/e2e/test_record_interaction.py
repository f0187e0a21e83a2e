"""A district user records an on-site interaction and sees its compliance finding turn from fail to pass."""

from __future__ import annotations

from typing import Any

from .test_district_journey import log_in


def check(page: Any, url: str) -> str:
    """Runs S1 as of 2021-02-05 for 青浦区 and returns the R-B4 cell of 沈巷中学's pairing."""
    page.goto(f"{url}/policy/runs/")
    page.select_option("#id_edition", label="S1 沪教委基〔2021〕4号")
    page.fill("#id_as_of", "2021-02-05")
    page.select_option("#id_district", value="310118")
    page.click("#run-form button[type=submit]")
    page.wait_for_url("**/policy/runs/*/")
    codes = [
        th.get_attribute("title") for th in page.locator("#board thead th").all()
    ]  # headers name the rule
    column = codes.index("R-B4") + 1
    return (
        page.locator("#board tbody tr", has_text="沈巷中学").locator(f"td:nth-child({column})").inner_text()
    )


def test_recording_an_interaction_turns_the_finding_to_pass(page: Any, platform_url: str) -> None:
    log_in(page, platform_url, "district-310118")
    assert check(page, platform_url).strip() == "未达标"  # no on-site interaction in January

    page.goto(f"{platform_url}/programmes/pairings/?q=沈巷中学")
    page.locator("table tbody tr", has_text="沈巷中学").locator("a").first.click()
    page.wait_for_url("**/programmes/pairings/*/")
    page.locator("h2:has-text('互动交流') + a, div:has(> h2:has-text('互动交流')) a").first.click()
    page.wait_for_url("**/programmes/interactions/add/?pairing=*")
    page.fill("#id_date", "2021-01-15")
    page.select_option("#id_kind", value="on_site")
    page.fill("#id_participants", "6")
    page.fill("#id_subjects", "语文")
    page.click("main button[type=submit]")
    page.wait_for_url("**/programmes/interactions/*/")
    assert "已保存" in page.inner_text("main")

    assert check(page, platform_url).strip() == "达标"
