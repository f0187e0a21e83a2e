"""Satisfaction surveys (R-E4): one-time links answered without logging in, answers imported from a sheet, and the
satisfaction of each school and cluster."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

from junheng.evaluation.models import Survey, SurveyQuestion, SurveyResponse
from junheng.evaluation.surveys import satisfaction_by_cluster, satisfaction_by_school
from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, School

from ..test_work_imports import import_on_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster() -> Cluster:
    return Cluster.objects.filter(is_demo=True, district__code="310101").first()


@pytest.fixture
def survey(cluster: Cluster) -> Survey:
    made = Survey.objects.create(
        district=cluster.district, year=2025, title="家长满意度调查", audience="parents"
    )
    for order, text in enumerate(["对学校教学质量满意吗", "对学区集团活动满意吗"]):
        SurveyQuestion.objects.create(survey=made, text=text, order=order)
    return made


@pytest.fixture
def bureau_client(cluster: Cluster, make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user(Role.DISTRICT_BUREAU, cluster.district, can_edit=True))
    return client


def issue(client: Client, survey: Survey, school: School, count: int) -> list[str]:
    response = client.post(f"/evaluation/surveys/{survey.pk}/links/", {"school": school.pk, "count": count})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {school.name}
    return [r[1].split("testserver", 1)[1] for r in rows]


def test_a_link_takes_one_set_of_answers_without_logging_in(
    survey: Survey, cluster: Cluster, bureau_client: Client
) -> None:
    school = cluster.members_on(date(2025, 6, 30)).first()
    links = issue(bureau_client, survey, school, 3)
    assert len(set(links)) == 3
    visitor = Client()
    page = visitor.get(links[0]).content.decode()
    assert "对学区集团活动满意吗" in page and school.name in page and "非常满意" in page
    first, second = survey.questions.all()
    incomplete = visitor.post(links[0], {f"q{first.pk}": 5}).content.decode()
    assert "请回答每一道题：对学区集团活动满意吗" in incomplete and not SurveyResponse.objects.exists()
    done = visitor.post(links[0], {f"q{first.pk}": 5, f"q{second.pk}": 3}).content.decode()
    assert 'id="survey-thanks"' in done
    again = visitor.post(links[0], {f"q{first.pk}": 1, f"q{second.pk}": 1}).content.decode()
    assert "该链接已经使用过" in again
    assert 'id="link-used"' in visitor.get(links[0]).content.decode()
    (response,) = SurveyResponse.objects.all()
    assert (response.school, response.answered, response.satisfied, response.score_sum) == (school, 2, 1, 8)
    assert visitor.get("/survey/no-such-token/").status_code == 404


def test_only_the_surveys_bureau_issues_links_for_its_own_schools(
    survey: Survey, make_user: Any, bureau_client: Client
) -> None:
    outside = School.objects.exclude(district=survey.district).exclude(district=None).first()
    response = bureau_client.post(
        f"/evaluation/surveys/{survey.pk}/links/", {"school": outside.pk, "count": 2}
    )
    assert response.status_code == 302 and not survey.invitations.exists()
    other = Client()
    other.force_login(make_user(Role.DISTRICT_BUREAU, outside.district, can_edit=True))
    mine = survey.district.schools.first()
    assert (
        other.post(f"/evaluation/surveys/{survey.pk}/links/", {"school": mine.pk, "count": 2}).status_code
        == 404
    )
    assert not survey.invitations.exists()


def test_answers_collected_on_paper_are_imported_and_satisfaction_is_pooled_per_cluster(
    survey: Survey, cluster: Cluster, bureau_client: Client
) -> None:
    """School A: answers (5, 4), (2, 3); school B: (4, 4). A: 2 of 4 satisfied, mean 3.5; B: 2 of 2, mean 4;
    the cluster: 4 of 6 satisfied, mean 22 / 6."""
    a, b = list(cluster.members_on(date(2025, 6, 30)).exclude(code=None))[:2]
    header = ["学校代码", "对学校教学质量满意吗", "对学区集团活动满意吗"]
    rows = [header, [a.code, 5, "满意"], [a.code, "不满意", 3], [b.code, 4, 4], [b.code, 6, "很好"]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    url = f"/evaluation/surveys/{survey.pk}/import/"
    page = import_on_page(bureau_client, url, "a.xlsx", stream.getvalue())
    assert "第5行，“对学校教学质量满意吗”列：“6”不是有效答案" in page
    assert "第5行，“对学区集团活动满意吗”列：“很好”不是有效答案" in page
    assert not SurveyResponse.objects.exists()
    book.active.delete_rows(5)
    stream = io.BytesIO()
    book.save(stream)
    page = import_on_page(bureau_client, url, "a.xlsx", stream.getvalue())
    assert "已导入 3 条记录" in page

    surveys = Survey.objects.filter(pk=survey.pk)
    by_school = {s.name: s for s in satisfaction_by_school(surveys, School.objects.all())}
    assert (by_school[a.name].respondents, by_school[a.name].satisfied_share, by_school[a.name].mean) == (
        2,
        0.5,
        3.5,
    )
    assert (by_school[b.name].satisfied_share, by_school[b.name].mean) == (1.0, 4.0)
    (pooled,) = [s for s in satisfaction_by_cluster(surveys, date(2025, 6, 30), [cluster])]
    assert pooled.respondents == 3
    assert pooled.satisfied_share == pytest.approx(4 / 6) and pooled.mean == pytest.approx(22 / 6)
    page = bureau_client.get(f"/evaluation/surveys/{survey.pk}/").content.decode()
    assert "67%" in page and "3.67" in page
