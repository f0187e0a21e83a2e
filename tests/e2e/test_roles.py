"""Each role in the browser (issue 13): log in as its demo account, open home, follow every link of its menus and
of its home page (each answers 200), send every form those pages offer as they are served, and keep
screenshots of the key pages as test artefacts (var/screenshots/, or JUNHENG_ARTIFACTS)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .test_district_journey import log_in

ROLES = {
    "municipal": "市教委",
    "district-310113": "区教育局",
    "cluster-office": "学区/集团",
    "school": "学校",
    "supporting-unit": "支援单位",
    "expert": "专家",
    "teacher": "教师",
}
# Links that are not pages to open: leaving, switching language, files and exports.
NOT_PAGES = ("/logout/", "/i18n/", "/static/", "/admin/")
# A served field holding a value the browser rejects (a date as 2026/12/02) blocks sending the form.
SERVED_VALUES_INVALID = """form => [...form.elements].filter(e => e.willValidate && e.value !== "" &&
    (e.validity.badInput || e.validity.typeMismatch || e.validity.patternMismatch || e.validity.rangeOverflow ||
     e.validity.rangeUnderflow || e.validity.stepMismatch)).map(e => e.name)"""
# A required choice with a single option must come chosen.
UNCHOSEN_ONLY_OPTIONS = """form => [...form.querySelectorAll("select[required]")].filter(s =>
    [...s.options].filter(o => o.value).length === 1 && !s.value).map(s => s.name)"""


def artefacts() -> Path:
    folder = Path(os.environ.get("JUNHENG_ARTIFACTS", "var/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def links_of_menus_and_main(page: Any, url: str) -> set[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "nav a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = set()
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
            continue
        if (
            "export=" in parts.query
            or "template=" in parts.query
            or parts.path.endswith((".pdf", ".docx", ".xlsx"))
        ):
            continue
        found.add(href)
    return found


def check_forms(page: Any, link: str, where: str) -> int:
    """Every form of the page's main part holds only values the browser accepts and has its only option chosen;
    each form the browser would send as served (nothing required left empty) is sent, and the platform answers
    it without an error. A form sent may remove a row and its form, so the forms are counted again each time."""
    sent = 0
    index = 0
    while index < page.locator("main form").count():
        form = page.locator("main form").nth(index)
        assert form.evaluate(SERVED_VALUES_INVALID) == [], f"{where}: form {index} holds invalid values"
        assert form.evaluate(UNCHOSEN_ONLY_OPTIONS) == [], (
            f"{where}: form {index} leaves its only option unchosen"
        )
        submit = form.locator("button[type=submit], input[type=submit]").first
        index += 1
        if not submit.count() or not form.evaluate("form => form.checkValidity()"):
            continue  # the user must fill something in first
        with page.expect_navigation() as navigation:
            submit.click()
        assert navigation.value.status < 500, f"{where}: form {index - 1} answered {navigation.value.status}"
        sent += 1
        page.goto(link)
    return sent


@pytest.mark.parametrize("username", list(ROLES))
def test_every_link_and_form_of_a_role_works(page: Any, scratch_platform_url: str, username: str) -> None:
    """On a platform of its own: the forms it sends change records (a role revoked, a run started)."""
    platform_url = scratch_platform_url
    log_in(page, platform_url, username)
    folder = artefacts()
    page.screenshot(path=str(folder / f"{username}-home.png"), full_page=True)
    assert page.locator("main h1").count() >= 1
    links = links_of_menus_and_main(page, platform_url)
    assert links, f"{username}: the home page offers somewhere to go"
    answers = {link: page.request.get(f"{platform_url}{link}").status for link in sorted(links)}
    assert {link: status for link, status in answers.items() if status != 200} == {}, username
    offered_forms = 0
    for link in sorted(links):
        page.goto(f"{platform_url}{link}")
        offered_forms += page.locator("main form").count()
        check_forms(page, f"{platform_url}{link}", f"{username} {link}")
    first_list = next((link for link in sorted(links) if link.count("/") == 3), None)
    if first_list:
        page.goto(f"{platform_url}{first_list}")
        page.screenshot(path=str(folder / f"{username}-list.png"), full_page=False)
    assert offered_forms or username in ("expert", "teacher"), (
        f"{username}: no form on any page it is offered"
    )
