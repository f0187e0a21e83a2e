"""The compliance form, as a district bureau is served it, is sent without filling anything in (issue 13.1): the
browser accepts its date and its district, and the run's board opens."""

from __future__ import annotations

from typing import Any

from .test_district_journey import log_in


def test_a_district_bureau_starts_a_run_from_the_form_as_served(page: Any, platform_url: str) -> None:
    log_in(page, platform_url, "district-310113")
    page.goto(f"{platform_url}/policy/runs/")
    assert page.locator("#id_district").input_value() == "310113"
    assert page.locator("#id_as_of").input_value()  # the browser reads the date it is given
    page.click("#run-form button[type=submit]")
    page.wait_for_url("**/policy/runs/*/")
    assert "宝山区" in page.inner_text("main")
