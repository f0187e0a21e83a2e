"""A rotation's workflow on the pages, in a real browser (issue 14): a school proposes one of its teachers for a
weaker school of its cluster through the add form, the cluster's office agrees, the district bureau files it
(备案); its page then shows the status and its history who took each step; a school of another cluster finds
nothing (404)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, platform_env, serving
from .test_district_journey import log_in

# The demo's school account (月浦中心校) is in no cluster, and the cluster office's cluster is a demo cluster of
# another district; so the journey's schools get accounts of their own, made as an administrator would: a school
# editor for a quality school of the cluster office's cluster, and one for a school of another cluster of the same
# district. Run in `junheng shell` on the platform's copy before it is served; prints what the test needs.
ACCOUNTS = f"""
import json
from django.contrib.auth import get_user_model
from junheng.core.services import object_save
from junheng.organisations.choices import Role, Tier
from junheng.organisations.models import ClusterMembership, Membership

cluster = Membership.objects.get(user__username="cluster-office").cluster
members = ClusterMembership.objects.filter(cluster=cluster, end_date__isnull=True)
sending = members.filter(tier=Tier.QUALITY).order_by("school__name").first().school
outsider = (
    ClusterMembership.objects.filter(cluster__district=cluster.district, end_date__isnull=True)
    .exclude(school__in=members.values("school"))
    .order_by("school__name")
    .first()
    .school
)
for username, school in (("rotation-sender", sending), ("rotation-outsider", outsider)):
    user = get_user_model().objects.create_user(
        username=username, password={PASSWORD!r}, first_name=school.name
    )
    membership = Membership(user=user, role=Role.SCHOOL, can_edit=True, school=school)
    object_save(actor=None, instance=membership, reason="e2e", check_scope=False)
print(json.dumps({{
    "cluster": cluster.name,
    "sending": sending.name,
    "bureau": f"district-{{cluster.district.code}}",
}}))
"""


@pytest.fixture
def flow(prepared_home: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A scratch platform whose copy of the prepared home has the journey's school accounts; yields its address
    and the names the journey looks for."""
    home = tmp_path / "prepared"
    shutil.copytree(prepared_home, home)
    made = subprocess.run(
        [Path(sys.executable).parent / "junheng", "shell", "--no-imports", "-c", ACCOUNTS],
        env=platform_env(home),
        check=True,
        capture_output=True,
        text=True,
    )
    names = json.loads(made.stdout.strip().splitlines()[-1])
    with serving(home, tmp_path / "platform") as url:
        yield {"url": url, **names}


def take_step(page: Any, url: str, username: str, rotation: str, button: str) -> None:
    log_in(page, url, username)
    page.goto(rotation)
    page.locator("#rotation-steps").get_by_role("button", name=button, exact=True).click()
    page.locator(".alert", has_text="已保存").wait_for()  # back on the rotation's page
    assert page.url == rotation
    page.context.clear_cookies()  # logged out: the next step is another account's


def test_school_proposes_cluster_agrees_bureau_files(page: Any, flow: dict[str, str]) -> None:
    url = flow["url"]
    log_in(page, url, "rotation-sender")

    # The weaker schools of its cluster, as the cluster's page lists its members.
    page.get_by_role("button", name="名册", exact=True).click()  # the menu
    page.get_by_role("link", name="学区/集团", exact=True).click()
    page.wait_for_url("**/registry/clusters/")
    page.locator("table tbody tr", has_text=flow["cluster"]).locator("a").first.click()
    page.wait_for_url("**/registry/clusters/*/")
    membership = "td:first-child a[href*='/registry/cluster-memberships/']"
    members = page.locator("table tbody tr", has_text="相对薄弱校").filter(has=page.locator(membership))
    # the members' table: each row opens its membership, then names the school (other sections name tiers too)
    weaker = [row.locator("td").nth(1).inner_text().strip() for row in members.all()]
    assert weaker and flow["sending"] not in weaker
    host = weaker[0]

    page.get_by_role("button", name="教师流动", exact=True).click()
    page.get_by_role("link", name="交流轮岗", exact=True).click()
    page.wait_for_url("**/staffing/rotations/")
    page.get_by_role("link", name="新增", exact=True).click()
    page.wait_for_url("**/staffing/rotations/add/")
    teachers = page.locator("#id_teacher option:not([value=''])").all_inner_texts()
    assert teachers  # the school's own teachers
    teacher = teachers[0].strip()
    page.select_option("#id_teacher", label=teacher)
    page.select_option("#id_kind", label="交流轮岗")
    page.select_option("#id_host", label=host)
    page.fill("#id_start_date", "2025-09-01")
    page.fill("#id_planned_end", "2028-08-31")
    page.get_by_label("包班上课").check()
    page.get_by_label("教研引领").check()
    page.fill("#id_subjects", "数学")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r".*/staffing/rotations/\d+/$"))
    rotation = page.url
    main = page.inner_text("main")
    assert "已保存" in main and f"{teacher} → {host}" in main
    assert field(page, "状态") == "已提出"
    assert field(page, "派出学校") == flow["sending"]
    assert field(page, "任务") == "包班上课、教研引领"
    assert page.locator("#rotation-steps").count() == 0  # the school takes no step of its own
    page.context.clear_cookies()

    take_step(page, url, "cluster-office", rotation, "同意")
    take_step(page, url, flow["bureau"], rotation, "备案")

    log_in(page, url, "rotation-sender")
    page.goto(rotation)
    assert field(page, "状态") == "已报区备案"  # 备案 with the district
    page.get_by_role("link", name="变更历史").click()
    page.wait_for_url("**/history/")
    steps = [
        (cells[1].strip(), cells[3].strip())
        for cells in (row.locator("td").all_inner_texts() for row in page.locator("#history tbody tr").all())
    ]
    assert steps == [  # newest first
        (flow["bureau"], "已报区备案"),
        ("cluster-office", "学区/集团已同意"),
        ("rotation-sender", "已提出"),
    ]
    page.context.clear_cookies()

    log_in(page, url, "rotation-outsider")
    assert page.goto(rotation).status == 404
    assert page.goto(f"{rotation}history/").status == 404
    page.goto(f"{url}/staffing/rotations/")
    assert teacher not in page.inner_text("main")


def field(page: Any, label: str) -> str:
    """A value of the record's table on its page."""
    return (
        page.locator("main table tr", has=page.locator("th", has_text=label))
        .first.locator("td")
        .inner_text()
        .strip()
    )
