"""Principals' appraisal (R-E1): a district's form of weighted items, the cluster part's weight against the
edition, each principal's weighted total, the sheet of scores, the page's form and the rule."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from junheng.core.services import object_save
from junheng.evaluation.models import AppraisalForm, AppraisalItem, PrincipalAppraisal
from junheng.evaluation.models.appraisal import weighted_scores
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, District, School
from junheng.policy.engine import compliance_run
from junheng.policy.models import PolicyEdition

from ..test_work_imports import import_on_page, workbook

pytestmark = pytest.mark.django_db

ITEMS = [("办学质量", 30, False), ("资源共享", 25, True), ("教师流动", 15, True), ("党建与管理", 30, False)]


def make_form(
    district: District, year: int = 2024, items: list[tuple[str, int, bool]] = ITEMS
) -> AppraisalForm:
    form = AppraisalForm.objects.create(district=district, year=year, name=f"{district.short_name}校长考评")
    for order, (name, weight, cluster_work) in enumerate(items):
        AppraisalItem.objects.create(
            form=form, name=name, weight=weight, cluster_work=cluster_work, order=order
        )
    return form


def scores(form: AppraisalForm, *values: float) -> dict[str, float]:
    return {str(item.pk): value for item, value in zip(form.items.all(), values, strict=True)}


@pytest.fixture
def cluster() -> Cluster:
    return Cluster.objects.filter(is_demo=True, district__code="310101").first()


def test_the_total_is_weighted_and_the_cluster_part_is_its_share(cluster: Cluster) -> None:
    """Weights 30, 25, 15, 30 (cluster items 25 + 15 = 40%); scores 80, 90, 70, 100:
    total = (2400 + 2250 + 1050 + 3000) / 100 = 87.00; cluster part = (2250 + 1050) / 100 = 33.00."""
    form = make_form(cluster.district)
    assert form.cluster_share() == Decimal("0.4")
    school = cluster.members_on(date(2024, 12, 31)).first()
    appraisal = PrincipalAppraisal(
        form=form, school=school, principal_name="王校长", scores=scores(form, 80, 90, 70, 100)
    )
    object_save(actor=None, instance=appraisal, check_scope=False)
    assert (appraisal.total, appraisal.cluster_part) == (Decimal("87.00"), Decimal("33.00"))
    appraisal.scores = scores(form, 80, 120, 70, 100)
    with pytest.raises(ValidationError, match="得分应在 0 到 100 之间：资源共享"):
        appraisal.full_clean()
    appraisal.scores = scores(form, 80, 90, 70, 100)
    del appraisal.scores[str(form.items.first().pk)]
    with pytest.raises(ValidationError, match="缺少以下项目的得分：办学质量"):
        appraisal.full_clean()


def test_the_rule_reads_each_members_form_against_the_editions_share(
    cluster: Cluster, municipal: Any
) -> None:
    members = list(cluster.members_on(date(2025, 3, 1)))
    form = make_form(cluster.district)
    for school in members[:-1]:
        object_save(
            actor=None,
            instance=PrincipalAppraisal(
                form=form, school=school, principal_name="校长", scores=scores(form, 80, 80, 80, 80)
            ),
            check_scope=False,
        )

    def finding() -> Any:
        _run, findings = compliance_run(
            actor=municipal,
            edition=PolicyEdition.objects.get(code="S2"),
            as_of=date(2025, 3, 1),
            district=cluster.district,
        )
        return next(f for f in findings if f.rule == "R-E1" and f.subject_id == cluster.pk)

    found = finding()
    assert found.status == "fail"  # 40% < 50%, and the last member was not appraised
    assert set(found.measured["short"]) == {s.name for s in members}
    assert found.measured["shares"][members[0].name] == pytest.approx(0.4)
    assert "不低于 50%" in found.message

    item = form.items.get(name="党建与管理")
    item.cluster_work = True  # now 70% of the weight is the cluster's
    item.save()
    object_save(
        actor=None,
        instance=PrincipalAppraisal(
            form=form, school=members[-1], principal_name="校长", scores=scores(form, 1, 2, 3, 4)
        ),
        check_scope=False,
    )
    assert finding().status == "pass"


def test_the_bureau_imports_its_principals_scores_with_the_forms_items_as_columns(
    cluster: Cluster, make_user: Any
) -> None:
    form = make_form(cluster.district)
    bureau = make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True)
    client = Client()
    client.force_login(bureau)
    url = f"/evaluation/appraisal-forms/{form.pk}/import/"
    template = openpyxl.load_workbook(io.BytesIO(client.get(url, {"template": 1}).content)).active
    header = [c.value for c in template[1]]
    assert header == ["学校代码", "校长姓名", "办学质量", "资源共享", "教师流动", "党建与管理"]
    first, second = list(cluster.members_on(date(2024, 12, 31)).exclude(code=None))[:2]
    other = School.objects.filter(district__code="310104").exclude(code=None).first()
    bad = [
        header,
        [first.code, "甲", 80, 90, 70, 100],
        [second.code, "乙", 80, 101, 70, ""],
        [other.code, "丙", 1, 1, 1, 1],
    ]
    page = import_on_page(client, url, "a.xlsx", workbook(bad))
    assert "第3行，“资源共享”列：得分应在 0 到 100 之间" in page
    assert "第3行，“党建与管理”列：该单元格为空" in page
    assert "第4行，“学校代码”列" in page
    assert not PrincipalAppraisal.objects.exists()
    good = [header, [first.code, "甲", 80, 90, 70, 100], [second.code, "乙", 60, 60, 60, 60]]
    assert "已导入 2 条记录" in import_on_page(client, url, "a.xlsx", workbook(good))
    again = [header, [first.code, "甲", 90, 90, 90, 90]]
    import_on_page(client, url, "a.xlsx", workbook(again))
    assert PrincipalAppraisal.objects.get(school=first).total == Decimal("90.00")  # replaced, not added
    assert PrincipalAppraisal.objects.count() == 2

    other_bureau = make_user(Role.DISTRICT_BUREAU, District.objects.get(code="310104"), can_edit=True)
    client.force_login(other_bureau)
    assert client.get(url).status_code == 404
    assert client.get(f"/evaluation/appraisal-forms/{form.pk}/").status_code == 404


def test_the_page_form_asks_for_a_score_on_each_item(cluster: Cluster, make_user: Any) -> None:
    form = make_form(cluster.district)
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True))
    page = client.get("/evaluation/appraisal-forms/" + str(form.pk) + "/").content.decode()
    assert "40%" in page and "不低于 0.50" in page  # the form's cluster weight against the edition
    add = client.get("/evaluation/principal-appraisals/add/", {"form": form.pk}).content.decode()
    assert "资源共享（25）" in add
    school = cluster.members_on(date(2024, 12, 31)).first()
    data = {"form": form.pk, "school": school.pk, "principal_name": "李校长"}
    data.update(
        {f"item_{item.pk}": value for item, value in zip(form.items.all(), (80, 90, 70, 100), strict=True)}
    )
    response = client.post("/evaluation/principal-appraisals/add/", data)
    assert response.status_code == 302
    saved = PrincipalAppraisal.objects.get()
    assert (saved.principal_name, saved.total, saved.cluster_part) == (
        "李校长",
        Decimal("87.00"),
        Decimal("33.00"),
    )


scored_items = st.lists(
    st.tuples(
        st.decimals(Decimal("0.01"), Decimal(100), places=2),
        st.booleans(),
        st.decimals(Decimal(0), Decimal(100), places=2),
    ),
    min_size=1,
    max_size=12,
)


@given(scored_items)
def test_the_total_lies_between_the_scores_and_the_cluster_part_within_it(items: list[Any]) -> None:
    total, cluster_part = weighted_scores(items)
    scores = [s for _w, _c, s in items]
    cent = Decimal("0.01")
    assert min(scores) - cent <= total <= max(scores) + cent
    assert Decimal(0) <= cluster_part <= total + cent
    everything_cluster = [(w, True, s) for w, _c, s in items]
    assert weighted_scores(everything_cluster)[1] == weighted_scores(everything_cluster)[0]
    doubled = [(2 * w, c, s) for w, c, s in items]  # only the weights' proportions count
    assert weighted_scores(doubled) == (total, cluster_part)
