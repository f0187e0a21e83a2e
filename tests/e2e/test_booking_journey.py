"""Facility sharing on the pages, in a real browser (issue 16, R-D8): a school books another member school's
laboratory through the add form, the owner school approves it from its queue of bookings waiting for its approval
(its home page reminds it), and the booking school sees the booking approved, on its page and on the
laboratory's week calendar."""

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
from .test_rotation_journey import field

# The journey's schools get accounts of their own, made as an administrator would: an editor for the lead school of
# the cluster office's cluster, which opens a laboratory, and one for another member school. Run in `junheng shell`
# on the platform's copy before it is served; prints what the test needs.
ACCOUNTS = f"""
import json
from django.contrib.auth import get_user_model
from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import ClusterMembership, Membership
from junheng.sharing.models import Facility

cluster = Membership.objects.get(user__username="cluster-office").cluster
owner = cluster.lead_school
booker = (
    ClusterMembership.objects.filter(cluster=cluster, end_date__isnull=True)
    .exclude(school=owner)
    .order_by("school__name")
    .first()
    .school
)
lab = Facility.objects.create(
    owner=owner,
    kind="laboratory",
    name="共享物理实验室",
    capacity=40,
    opening_hours={{str(day): [["08:00", "17:00"]] for day in range(1, 6)}},
)
for username, school in (("lab-owner", owner), ("lab-booker", booker)):
    user = get_user_model().objects.create_user(
        username=username, password={PASSWORD!r}, first_name=school.name
    )
    membership = Membership(user=user, role=Role.SCHOOL, can_edit=True, school=school)
    object_save(actor=None, instance=membership, reason="e2e", check_scope=False)
print(json.dumps({{"owner": owner.name, "booker": booker.name, "lab": str(lab), "lab_id": lab.pk}}))
"""


@pytest.fixture
def sharing(prepared_home: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
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


def test_a_school_books_a_laboratory_and_the_owner_approves(page: Any, sharing: dict[str, Any]) -> None:
    url = sharing["url"]
    log_in(page, url, "lab-booker")
    page.get_by_role("button", name="场馆设施共享", exact=True).click()  # the menu
    page.get_by_role("link", name="场馆预约", exact=True).click()
    page.wait_for_url("**/sharing/bookings/")
    page.get_by_role("link", name="新增", exact=True).click()
    page.wait_for_url("**/sharing/bookings/add/")
    page.select_option("#id_facility", label=sharing["lab"])
    page.select_option("#id_booking_school", label=sharing["booker"])
    page.fill("#id_starts_at", "2031-03-04T10:00")
    page.fill("#id_ends_at", "2031-03-04T12:00")
    page.fill("#id_purpose", "物理分组实验")
    page.fill("#id_group_size", "32")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r".*/sharing/bookings/\d+/$"))
    booking = page.url
    assert field(page, "状态") == "已申请"
    page.context.clear_cookies()

    # The owner is reminded on its home page and decides from its queue.
    log_in(page, url, "lab-owner")
    reminder = page.locator("#bookings-waiting")
    assert "待我审批的预约" in reminder.inner_text()  # with the demo's requests
    reminder.get_by_role("link", name="去审批").click()
    page.wait_for_url("**/sharing/bookings/approvals/")
    row = page.locator("#approvals tbody tr", has_text="2031-03-04 10:00")
    assert sharing["booker"] in row.inner_text() and "共享物理实验室" in row.inner_text()
    row.get_by_role("button", name="通过", exact=True).click()
    page.locator(".alert", has_text="已保存").wait_for()
    assert page.url.endswith("/sharing/bookings/approvals/")
    assert "2031-03-04 10:00" not in page.inner_text("#approvals")  # decided, off the queue
    page.context.clear_cookies()

    # The booking school sees it approved, and on the laboratory's week.
    log_in(page, url, "lab-booker")
    page.goto(booking)
    assert field(page, "状态") == "已通过"
    page.goto(f"{url}/sharing/facilities/{sharing['lab_id']}/week/?week=2031-03-04")
    block = page.locator("#week-grid a.cal-approved")
    assert "10:00–12:00" in block.inner_text() and sharing["booker"] in block.inner_text()
    page.get_by_role("link", name="下一周").click()
    page.wait_for_url("**week=2031-03-10")
    assert page.locator("#week-grid a.cal-booking").count() == 0
