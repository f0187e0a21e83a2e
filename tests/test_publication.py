"""Cases (R-B14) and transparency reports (R-B12): published by the district bureau or the commission, then
readable without logging in; nothing unpublished is public. Spending imports and sums by district."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import District
from junheng.programmes.funds import funds_by_district
from junheng.programmes.models import CaseStudy, FundAllocation, Pairing, ProgrammeRound, TransparencyReport
from junheng.programmes.services import publication_set_status

pytestmark = pytest.mark.django_db


def test_a_case_is_public_only_once_published(make_user: Any) -> None:
    pairing = Pairing.objects.get(kind="entrusted", sequence=1)  # 月浦中心校, 宝山区
    case = CaseStudy.objects.create(
        pairing=pairing, title="月浦中心校的三年", summary="课堂变了", body="正文"
    )
    anonymous = Client()
    assert anonymous.get(f"/public/cases/{case.pk}/").status_code == 404
    assert "月浦中心校的三年" not in anonymous.get("/public/").content.decode()
    school = make_user(Role.SCHOOL, pairing.supported_school, can_edit=True)
    with pytest.raises(PermissionDenied):
        publication_set_status(actor=school, record=case, status="published", on=date(2022, 1, 5))
    bureau = make_user(Role.DISTRICT_BUREAU, pairing.supported_school.district, can_edit=True)
    client = Client()
    client.force_login(bureau)
    client.post(f"/programmes/publication/cases/{case.pk}/", {"status": "published"})
    case.refresh_from_db()
    assert case.status == "published" and case.published_on is not None
    page = anonymous.get(f"/public/cases/{case.pk}/").content.decode()
    assert "课堂变了" in page and "月浦中心校" in page
    assert "月浦中心校的三年" in anonymous.get("/public/").content.decode()
    with pytest.raises(ValidationError):
        publication_set_status(actor=bureau, record=case, status="draft", on=date(2022, 1, 6))


def test_transparency_report_sums_allocations_and_spending_by_district(
    municipal: Any, tmp_path: Path
) -> None:
    programme_round = ProgrammeRound.objects.get()
    baoshan, qingpu = District.objects.get(code="310113"), District.objects.get(code="310118")
    FundAllocation.objects.create(round=programme_round, district=baoshan, year=2021, amount=300000)
    FundAllocation.objects.create(round=programme_round, district=qingpu, year=2021, amount=200000)
    sheet = tmp_path / "spending.csv"
    sheet.write_text(
        "受援学校,结对序号,日期,金额（元）,类别,用途\n"
        '月浦中心校,,2021-04-01,"12,000.50",培训,教师培训\n'
        "金泽小学,,2021-05-01,8000,教研,联合教研\n"
        "金泽小学,,2022-05-01,9000,教研,下一年度\n",
        encoding="utf-8-sig",
    )
    call_command("import", "spending", str(sheet))
    rows = {
        r.district.code: (r.allocated, r.spent, r.balance) for r in funds_by_district(programme_round, 2021)
    }
    assert rows["310113"] == (300000, 12000.50, 300000 - 12000.50)
    assert rows["310118"] == (200000, 8000, 192000)
    report = TransparencyReport.objects.create(round=programme_round, year=2021)
    assert Client().get(f"/public/transparency/{report.pk}/").status_code == 404
    publication_set_status(actor=municipal, record=report, status="published", on=date(2022, 3, 1))
    page = Client().get(f"/public/transparency/{report.pk}/").content.decode()
    assert "宝山区" in page and "287,999.50" in page and "192,000.00" in page


def test_bad_amounts_are_refused_by_row_and_column(tmp_path: Path) -> None:
    from django.core.management import CommandError

    sheet = tmp_path / "spending.csv"
    sheet.write_text(
        "受援学校,结对序号,日期,金额（元）,类别,用途\n月浦中心校,,2021-04-01,-5,培训,x\n"
        "月浦中心校,,2021-04-01,1.234,培训,x\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", "spending", str(sheet))
    assert "第2行，“金额（元）”列：“-5”不是有效的金额" in str(failed.value)
    assert "第3行，“金额（元）”列：“1.234”不是有效的金额" in str(failed.value)
