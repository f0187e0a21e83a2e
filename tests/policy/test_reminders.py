"""Reminders (R-F4): each user sees what is due or overdue in their scope, on the home page and in the digest."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition
from junheng.programmes.models import Evaluation, Pairing

pytestmark = pytest.mark.django_db


def test_home_page_lists_due_and_overdue_items_of_the_users_district(make_user: Any) -> None:
    done = Pairing.objects.get(kind="entrusted", sequence=2)  # 宝山 as well, mid-term already done
    Evaluation.objects.create(pairing=done, kind="mid_term", completed_on=date(2022, 5, 1))
    compliance_run(actor=None, edition=PolicyEdition.objects.get(code="S1"), as_of=date(2022, 6, 10))
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310113")))
    page = client.get("/").content.decode()
    reminders = page.split('id="reminders"')[1].split("</ul>")[0]
    assert "中期评估" in reminders and "即将到期" in reminders  # due 2022-06-30, within 60 days
    assert "月浦中心校 ← 杨浦小学" in reminders
    assert "美罗家园第一小学 ← 中原路小学" not in reminders.split("中期评估")[1].split("</li>")[0]
    assert "已逾期" in reminders  # e.g. no resident team at all
    assert "金泽小学" not in reminders  # 青浦区 is not this user's


def test_the_digest_command_checks_editions_in_force_and_prints_each_users_items(make_user: Any) -> None:
    user = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310118"))
    out = StringIO()
    call_command("reminders", "--as-of", "2022-06-10", "--user", user.username, stdout=out)
    text = out.getvalue()
    assert f"== {user.username}" in text
    assert "中期评估 · 金泽小学 ← 上海名师培训中心" in text
    assert "月浦中心校" not in text


def test_the_digest_is_mailed_to_users_with_an_address(make_user: Any, mailoutbox: Any) -> None:
    qingpu = District.objects.get(code="310118")
    with_address = make_user(Role.DISTRICT_BUREAU, qingpu, email="jiaoyu@qingpu.example")
    without_address = make_user(Role.DISTRICT_BUREAU, qingpu)
    out = StringIO()
    for username in (with_address.username, without_address.username):
        call_command("reminders", "--as-of", "2022-06-10", "--user", username, "--mail", stdout=out)
    assert "已发送待办摘要：1 份。" in out.getvalue() and "已发送待办摘要：0 份。" in out.getvalue()
    (message,) = mailoutbox
    assert message.to == ["jiaoyu@qingpu.example"]
    assert message.subject.startswith(f"{with_address.username}：") and "项待办" in message.subject
    assert "[即将到期] 中期评估 · 金泽小学 ← 上海名师培训中心（截至 2022-06-10）" in message.body
    assert "月浦中心校" not in message.body
