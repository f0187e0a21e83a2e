"""Every page with a chart draws it under the platform's Content-Security-Policy (scripts only from its own static
files), and the browser reports no violation."""

from __future__ import annotations

from typing import Any

from .test_district_journey import log_in


def charts_drawn(page: Any, *ids: str) -> None:
    for chart in ids:
        assert page.locator(f"#{chart} canvas").count() == 1, chart


def test_the_charts_render_under_the_content_security_policy(page: Any, platform_url: str) -> None:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(page, platform_url, "municipal")
    charts_drawn(page, "district-chart")

    page.goto(f"{platform_url}/programmes/charts/")
    charts_drawn(page, "interactions-chart", "online-chart")

    page.goto(f"{platform_url}/programmes/pairings/")
    page.locator("table tbody a").first.click()
    page.wait_for_url("**/programmes/pairings/*/")
    charts_drawn(page, "interactions-chart")  # the pairing's interactions per month

    page.goto(f"{platform_url}/policy/runs/")
    page.select_option("#id_edition", label=page.locator("#id_edition option").nth(1).inner_text())
    page.fill("#id_as_of", "2022-07-15")
    page.click("#run-form button[type=submit]")
    page.wait_for_url("**/policy/runs/*/")
    charts_drawn(page, "share-chart")
    page.goto(f"{platform_url}/policy/runs/")
    charts_drawn(page, "trend-chart")

    page.goto(f"{platform_url}/policy/rotation-boards/")
    page.locator("#rotation-boards tbody a").first.click()
    page.wait_for_url("**/policy/rotation-boards/*/")
    charts_drawn(page, "rotation-chart")  # a model cluster's inflow month by month against its quota

    page.goto(f"{platform_url}/evaluation/clusters/")
    page.locator("#cluster-results tbody a").first.click()
    page.wait_for_url("**cluster=*")
    charts_drawn(page, "means-chart", "pass-chart", "value-added-chart")
    assert refused == []
