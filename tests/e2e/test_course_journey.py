"""Shared courses and cross-school enrolment on the pages, in a real browser (issue 16): a member school offers a
course for the semester through the add form; another member school enters its student's choice for the open
round; the cluster office closes the applications and allocates by lottery; the student's school finds the seat
among its enrolments, and the offering school its new student on the course's page."""

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

# The demo's autumn round is open in the cluster office's cluster (demo/courses.py). The journey's schools get
# accounts of their own, made as an administrator would: the cluster's lead school, which offers the course, and
# another member school with a demo student who has not applied yet. Run in `junheng shell` on the platform's copy
# before it is served; prints what the test needs.
ACCOUNTS = f"""
import json
from django.contrib.auth import get_user_model
from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import ClusterMembership, Membership
from junheng.sharing.models import EnrolmentRound, Student

cluster = Membership.objects.get(user__username="cluster-office").cluster
autumn = EnrolmentRound.objects.get(cluster=cluster, status="open")
offering = cluster.lead_school
applying = (
    ClusterMembership.objects.filter(cluster=cluster).exclude(school=offering).order_by("school__code").first().school
)
student = (
    Student.objects.filter(school=applying).exclude(applications__round=autumn).order_by("student_number").first()
)
for username, school in (("course-offerer", offering), ("course-applicant", applying)):
    user = get_user_model().objects.create_user(username=username, password={PASSWORD!r}, first_name=school.name)
    membership = Membership(user=user, role=Role.SCHOOL, can_edit=True, school=school)
    object_save(actor=None, instance=membership, reason="e2e", check_scope=False)
print(json.dumps({{
    "cluster": cluster.name,
    "offering": offering.name,
    "round": str(autumn),
    "round_title": autumn.title,
    "student": str(student),
    "student_number": student.student_number,
}}))
"""


@pytest.fixture
def enrolment(prepared_home: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
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


def open_menu(page: Any, menu: str, entry: str, url_part: str) -> None:
    page.get_by_role("button", name=menu, exact=True).click()
    page.get_by_role("link", name=entry, exact=True).click()
    page.wait_for_url(f"**{url_part}")


def test_a_school_offers_a_student_applies_the_office_allocates_and_the_school_sees_the_seat(
    page: Any, enrolment: dict[str, str]
) -> None:
    url, title = enrolment["url"], "e2e天文观测"
    log_in(page, url, "course-offerer")
    open_menu(page, "共享课程", "共享课程", "/sharing/shared-courses/")
    page.get_by_role("link", name="新增", exact=True).click()
    page.wait_for_url("**/sharing/shared-courses/add/")
    page.select_option("#id_school", label=enrolment["offering"])
    page.select_option("#id_cluster", label=enrolment["cluster"])
    page.fill("#id_school_year", "2025")
    page.select_option("#id_semester", label="第一学期")
    page.fill("#id_title", title)
    page.select_option("#id_kind", label="科创实验")
    page.fill("#id_capacity", "30")
    page.fill("#id_slots", "周五8")
    page.fill("#id_teacher", "测试老师")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r".*/sharing/shared-courses/\d+/$"))
    course = page.url
    assert "已保存" in page.inner_text("main") and "Fri8" in page.inner_text("main")
    page.context.clear_cookies()

    log_in(page, url, "course-applicant")
    open_menu(page, "共享课程", "选课申请", "/sharing/course-applications/")
    page.get_by_role("link", name="新增", exact=True).click()
    page.wait_for_url("**/sharing/course-applications/add/")
    page.select_option("#id_round", label=enrolment["round"])
    page.select_option("#id_student", label=enrolment["student"])
    page.select_option("#id_course", label=f"{title}（{enrolment['offering']}）")
    page.fill("#id_rank", "1")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r".*/sharing/course-applications/\d+/$"))
    assert "已保存" in page.inner_text("main")
    page.context.clear_cookies()

    log_in(page, url, "cluster-office")
    open_menu(page, "共享课程", "选课轮次", "/sharing/enrolment-rounds/")
    page.locator("table tbody tr", has_text=enrolment["round_title"]).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/sharing/enrolment-rounds/\d+/$"))
    round_page = page.url
    page.locator("#round-steps").get_by_role("button", name="截止申请", exact=True).click()
    page.locator(".alert", has_text="选课申请已截止").wait_for()
    page.locator("#round-steps").get_by_role("button", name="抽签分配", exact=True).click()
    page.locator(".alert", has_text="已抽签分配").wait_for()
    assert page.url == round_page and page.locator("#round-steps").count() == 0  # allocated once
    main = page.inner_text("main")
    assert "courses.csv" in main and "result.json" in main  # the office may re-run it
    page.context.clear_cookies()

    log_in(page, url, "course-applicant")
    open_menu(page, "共享课程", "选课录取", "/sharing/course-enrolments/")
    row = page.locator("table tbody tr", has_text=enrolment["student_number"]).filter(has_text=title)
    assert "已录取" in row.inner_text()  # its first choice, with free seats
    page.context.clear_cookies()

    log_in(page, url, "course-offerer")
    page.goto(course)
    assert enrolment["student_number"] in page.inner_text("main")  # the school it enrols in sees the student
