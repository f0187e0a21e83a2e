"""The rotation planner in a real browser (issue 15): the demo cluster office opens its cluster's planning page,
asks for a plan, which the background worker (a real `junheng db_worker`) solves while the page shows its
progress; the plan's table and chart show what its JSON says; a pair forbidden by hand is planned again beside it
and the two are compared; the chosen plan becomes proposed rotations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import platform_env, serving
from .test_district_journey import log_in

PLANNED = 90_000  # ms: the worker starts, polls every second and solves in well under a second


@pytest.fixture
def worked_platform(prepared_home: Path, tmp_path: Path) -> Iterator[str]:
    """A scratch platform with its background worker running on the same database."""
    home = tmp_path / "platform"
    with serving(prepared_home, home) as url:
        worker = subprocess.Popen(
            [Path(sys.executable).parent / "junheng", "db_worker", "--interval", "0.5", "--no-reload"],
            env=platform_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            yield url
        finally:
            worker.terminate()
            worker.wait(timeout=10)


def numbers_of(page: Any) -> list[list[str]]:
    """The plan's quality schools as its page shows them: eligible, required, sent, backbone, shortfall."""
    rows = page.locator("#plan-schools tbody tr").all()
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()[1:6]] for row in rows]


def wait_for_plan(page: Any) -> None:
    page.locator("#plan-figures").wait_for(timeout=PLANNED)


def test_a_cluster_office_plans_changes_compares_and_proposes(worked_platform: str, page: Any) -> None:
    url = worked_platform
    log_in(page, url, "cluster-office")
    page.goto(f"{url}/policy/rotation-plans/")
    page.locator("#planned-clusters a").first.click()
    assert page.locator("#needs tbody tr").count() > 1  # the demo's weaker schools stated their needs
    page.locator("#make-plan").click()
    page.locator(".progress, #plan-figures").first.wait_for()  # the progress bar until the worker is done
    wait_for_plan(page)
    assert page.locator("#plan-status").inner_text() == "已证明最优"
    page.locator("#plan-chart canvas").wait_for()  # the chart of sent against the quota

    # the page shows what the plan's JSON says
    plan_url = page.url
    result = json.loads(page.request.get(f"{plan_url}plan.json").text())
    [cluster] = result["clusters"]
    assert numbers_of(page) == [
        [str(s[k]) for k in ("eligible", "required", "sent", "backbone_sent", "shortfall")]
        for s in cluster["schools"]
    ]
    assignments = cluster["assignments"]
    assert assignments, "the demo's cluster has teachers to send"
    assert page.locator("#plan-assignments tbody tr").count() == len(assignments)

    # forbid the first teacher's school and re-solve: a new plan beside the first
    first = page.locator("#plan-assignments tbody tr").first
    teacher = first.locator("td").nth(1).inner_text().strip()
    first.get_by_role("button", name="禁止并重新求解").click()
    page.wait_for_url(lambda address: address != plan_url)
    wait_for_plan(page)
    assert teacher in page.locator("#plan-pairs").inner_text()
    changed = json.loads(page.request.get(f"{page.url}plan.json").text())
    forbidden_to = next(a["to"] for a in assignments if a["staff_number"] == teacher)
    assert (teacher, forbidden_to) not in {
        (a["staff_number"], a["to"]) for a in changed["clusters"][0]["assignments"]
    }

    # the two side by side
    page.locator("#compare-parent").click()
    assert page.locator("#comparison thead th").count() == 3
    page.go_back()

    # the changed plan becomes proposed rotations
    page.locator("#apply-plan").click()
    page.locator(".alert-success", has_text="条轮岗提议").wait_for()
    proposed = len(changed["clusters"][0]["assignments"])
    assert f"已生成 {proposed} 条轮岗提议" in page.locator(".alert-success").first.inner_text()
    page.goto(f"{url}/staffing/rotations/?status=proposed")
    assert page.locator("table tbody tr").count() >= proposed
