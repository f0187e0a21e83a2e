"""The map draws under the platform's Content-Security-Policy, its filters redraw it, and a school's point opens
the school's record; the layout advisor's page draws the proposal beside it."""

from __future__ import annotations

from typing import Any

from .test_district_journey import log_in


def test_the_map_draws_filters_and_opens_a_school(page: Any, platform_url: str) -> None:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(page, platform_url, "municipal")
    page.goto(f"{platform_url}/registry/map/")
    page.wait_for_selector("#school-map[data-drawn='1']")
    assert page.locator("#school-map canvas").count() >= 1
    everyone = int(page.locator("#map-count").inner_text().split()[-1])
    page.select_option("#map-district", index=1)
    fewer = int(page.locator("#map-count").inner_text().split()[-1])
    assert 0 < fewer < everyone

    # A click on a school's point opens its record: the chart's own hit test finds the point's pixel.
    click_a_school(page)

    page.goto(f"{platform_url}/registry/map/")
    page.wait_for_selector("#school-map[data-drawn='1']")
    assert page.locator("#school-map canvas").count() >= 1
    everyone = int(page.locator("#map-count").inner_text().split()[-1])
    page.select_option("#map-district", index=1)
    fewer = int(page.locator("#map-count").inner_text().split()[-1])
    assert 0 < fewer < everyone

    # A click on a school's point opens its record: the chart's own hit test finds the point's pixel.
    click_a_school(page)

    page.goto(f"{platform_url}/registry/map/")
    page.wait_for_selector("#school-map[data-drawn='1']")
    page.select_option("#map-cluster", index=1)
    assert int(page.locator("#map-count").inner_text().split()[-1]) < everyone
    page.click("#map-cluster-link")
    page.wait_for_url("**/registry/clusters/*/")
    page.wait_for_selector("#school-map[data-drawn='1']")  # the cluster's page draws its members

    page.goto(f"{platform_url}/policy/layout/")
    page.wait_for_selector("#school-map[data-drawn='1']")
    assert page.locator("#comparison #row-current").count() == 1
    assert refused == []


def click_a_school(page: Any) -> None:
    """Clicks a school's point on the map; its record opens (the chart's own hit test finds the point's pixel)."""
    points = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById("school-map"));
          const option = chart.getOption();
          const series = option.series.findIndex((s) => s.type === "scatter" && s.data.length);
          // the points farthest right, away from the legend in the top left corner
          const points = option.series[series].data.map((d) => [chart.convertToPixel({ seriesIndex: series }, d.value), d]);
          return points.sort((a, b) => b[0][0] - a[0][0]).slice(0, 8).map(([[x, y], d]) => ({ x, y, url: d.url }));
        }"""
    )
    page.locator("#school-map").scroll_into_view_if_needed()
    box = page.locator("#school-map").bounding_box()
    start = page.url
    for point in points:  # a cluster's line drawn over a point takes its click: the next point then
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        try:
            page.wait_for_url("**/registry/schools/*/", timeout=3000)
            break
        except Exception:
            assert page.url == start
    assert "/registry/schools/" in page.url  # a school's point opened its record
