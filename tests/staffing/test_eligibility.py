"""Rotation eligibility (R-C1): continuous years at the employer on 1 September, a change of employer restarting
them, less the teachers marked not eligible with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from junheng.organisations.choices import Role
from junheng.organisations.models import District, School
from junheng.staffing.models import EligibilityExclusion, Employment, Teacher
from junheng.staffing.selectors import eligibility, eligible_since
from junheng.staffing.services import employ

pytestmark = pytest.mark.django_db


def school(name: str) -> School:
    return School.objects.create(name=name, district=District.objects.get(code="310118"))


def hire(actor: Any, number: str, at: School, since: date) -> Teacher:
    return employ(
        actor=actor, teacher=Teacher(name=f"教师{number}", staff_number=number), school=at, since=since
    )


def test_six_years_on_the_first_of_september_make_a_teacher_eligible(municipal: Any) -> None:
    a = school("资格测试甲校")
    hire(municipal, "E1", a, date(2018, 9, 1))  # 6 years on 2024-09-01
    hire(municipal, "E2", a, date(2018, 9, 2))  # a day short
    hire(municipal, "E3", a, date(2010, 3, 1))
    found = eligibility([a.pk], 2024, 6)[a.pk]
    assert sorted(t.staff_number for t in found.teachers) == ["E1", "E3"]
    assert eligibility([a.pk], 2025, 6)[a.pk].count == 3
    assert eligible_since(2024, 6) == date(2018, 9, 1)


def test_a_new_employer_restarts_the_years_and_keeps_the_old_employment_as_history(municipal: Any) -> None:
    a, b = school("资格测试乙校"), school("资格测试丙校")
    teacher = hire(municipal, "E4", a, date(2010, 9, 1))
    employ(actor=municipal, teacher=teacher, school=b, since=date(2022, 9, 1))
    assert [(e.school, e.start_date, e.end_date) for e in Employment.objects.filter(teacher=teacher)] == [
        (a, date(2010, 9, 1), date(2022, 8, 31)),
        (b, date(2022, 9, 1), None),
    ]
    assert eligibility([a.pk, b.pk], 2022, 6)[b.pk].count == 0
    assert eligibility([a.pk, b.pk], 2021, 6)[a.pk].teachers == [
        teacher
    ]  # the year before, at its old school
    assert teacher.continuous_years_on(date(2024, 9, 1)) == 2


def test_a_teacher_marked_not_eligible_is_listed_apart_with_the_reason(municipal: Any) -> None:
    a = school("资格测试丁校")
    teacher = hire(municipal, "E5", a, date(2012, 9, 1))
    EligibilityExclusion.objects.create(teacher=teacher, school_year=2024, reason="距退休不足三年")
    found = eligibility([a.pk], 2024, 6)[a.pk]
    assert found.count == 0 and found.excluded == [(teacher, "距退休不足三年")]
    assert eligibility([a.pk], 2025, 6)[a.pk].count == 1  # only for that school year


def test_eligibility_of_many_schools_takes_two_queries(
    municipal: Any, django_assert_num_queries: Any
) -> None:
    schools = [school(f"资格测试批量{i}") for i in range(5)]
    for i, each in enumerate(schools):
        for j in range(3):
            hire(municipal, f"B{i}{j}", each, date(2015, 9, 1))
    with django_assert_num_queries(2):
        found = eligibility([s.pk for s in schools], 2024, 6)
        assert [found[s.pk].count for s in schools] == [3] * 5


def test_a_school_editor_may_employ_only_at_its_own_school(make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    a, b = school("资格测试戊校"), school("资格测试己校")
    editor = make_user(Role.SCHOOL, a, can_edit=True)
    hire(editor, "E6", a, date(2020, 9, 1))
    with pytest.raises(PermissionDenied):
        hire(editor, "E7", b, date(2020, 9, 1))
    assert not Teacher.objects.filter(staff_number="E7").exists()
