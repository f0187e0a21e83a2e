"""Model status through the pages, in a real browser (issue 17): the cluster office applies with its statement,
the district bureau recommends, the municipal commission accredits; the cluster's page then shows it accredited,
and the application's page who took each step."""

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

from .conftest import platform_env, serving
from .test_district_journey import log_in
from .test_rotation_journey import field

# The demo office's cluster starts creating model status (as the commission would set it), with no application
# open; run in `junheng shell` on the platform's copy before it is served.
CREATING = """
import json
from datetime import date
from junheng.organisations.models import Cluster, Membership
from junheng.policy.accreditation.models import Accreditation

cluster = Membership.objects.get(user__username="cluster-office").cluster
Accreditation.objects.filter(cluster=cluster).delete()
Cluster.objects.filter(pk=cluster.pk).update(model_status="creating", creating_since=date(2024, 3, 1))
print(json.dumps({"cluster": cluster.name, "id": cluster.pk, "bureau": f"district-{cluster.district.code}"}))
"""


@pytest.fixture
def journey(prepared_home: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    home = tmp_path / "prepared"
    shutil.copytree(prepared_home, home)
    made = subprocess.run(
        [Path(sys.executable).parent / "junheng", "shell", "--no-imports", "-c", CREATING],
        env=platform_env(home),
        check=True,
        capture_output=True,
        text=True,
    )
    names = json.loads(made.stdout.strip().splitlines()[-1])
    with serving(home, tmp_path / "platform") as url:
        yield {"url": url, **names}


def take(page: Any, url: str, username: str, application: str, button: str) -> None:
    log_in(page, url, username)
    page.goto(application)
    page.locator("#accreditation-steps").get_by_role("button", name=button, exact=True).click()
    page.locator(".alert", has_text="已保存").wait_for()
    page.context.clear_cookies()


def test_office_applies_bureau_recommends_commission_accredits(page: Any, journey: dict[str, Any]) -> None:
    url = journey["url"]
    cluster = f"{url}/registry/clusters/{journey['id']}/"
    log_in(page, url, "cluster-office")
    page.goto(cluster)
    assert field(page, "示范状态") == "示范创建中"
    page.locator("h2", has_text="市示范申报").locator("xpath=..").get_by_role("link").click()
    page.wait_for_url("**/policy/accreditations/add/**")
    page.fill("#id_statement", "三年来成员校共建共享、教师流动和一体考评成效明显。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r".*/policy/accreditations/\d+/$"))
    application = page.url
    assert field(page, "状态") == "草稿"
    page.get_by_role("link", name="申报材料", exact=True).click()
    page.wait_for_url("**/dossier/")
    assert journey["cluster"] in page.inner_text("main") and "治理文件与工作例会" in page.inner_text("main")
    page.goto(application)
    page.fill("#step-comment", "请区教育局审核")
    page.locator("#accreditation-steps").get_by_role("button", name="申报", exact=True).click()
    page.locator(".alert", has_text="已保存").wait_for()
    assert field(page, "状态") == "已申报"
    assert page.locator("#accreditation-steps").count() == 0  # the office takes no other step
    page.context.clear_cookies()

    take(page, url, journey["bureau"], application, "推荐")
    take(page, url, "municipal", application, "认定")

    log_in(page, url, "cluster-office")
    page.goto(cluster)
    assert field(page, "示范状态") == "已认定示范"
    page.goto(application)
    assert field(page, "状态") == "已认定"
    steps = page.locator("table", has_text="原状态").inner_text()
    assert "cluster-office" in steps and journey["bureau"] in steps and "municipal" in steps
