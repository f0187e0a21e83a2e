"""A teacher is in one rotation at a time and employed by one school at a time: the database refuses an
overlapping period, even from two connections writing at the same moment; a form names the fault first."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction

from junheng.organisations.models import District, School
from junheng.staffing.models import Employment, Rotation, Teacher


def a_teacher_and_two_schools() -> tuple[Teacher, School, School]:
    district, _created = District.objects.get_or_create(code="310118", defaults={"name": "青浦区"})
    employer = School.objects.create(name="轮岗测试派出校", district=district)
    host = School.objects.create(name="轮岗测试流入校", district=district)
    teacher = Teacher.objects.create(
        name="周老师", staff_number="T-ROT-1", employer=employer, employed_since=date(2015, 9, 1)
    )
    return teacher, employer, host


def rotation(teacher: Teacher, employer: School, host: School, start: date, end: date) -> Rotation:
    return Rotation(
        teacher=teacher, kind="exchange", from_school=employer, host=host, start_date=start, planned_end=end
    )


def in_own_connection(work: Any) -> Any:
    """Runs `work` in a thread of its own, so on a connection of its own that commits for real."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result.get("value")


@pytest.mark.django_db
def test_two_connections_cannot_both_place_a_teacher_in_overlapping_rotations() -> None:
    """Everything happens on connections of the test's threads, which commit; the test's own connection stays
    out of it (its transaction would hide their rows), and the last thread removes what they made."""
    teacher, employer, host = in_own_connection(a_teacher_and_two_schools)
    periods = [(date(2024, 9, 1), date(2027, 8, 31)), (date(2025, 9, 1), date(2028, 8, 31))]
    both_inside = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def place(index: int) -> None:
        try:
            for attempt in range(50):
                try:
                    with transaction.atomic():
                        if attempt == 0:
                            both_inside.wait(timeout=10)  # both transactions are open before either writes
                        rotation(teacher, employer, host, *periods[index]).save()
                        time.sleep(0.3)  # the transaction stays open while the other one tries
                    outcomes[index] = "saved"
                    return
                except OperationalError:  # SQLite: the other writer holds the database; try again
                    time.sleep(0.1)
                except IntegrityError:
                    outcomes[index] = "refused"
                    return
            outcomes[index] = "never got to write"
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    def count_and_remove() -> int:
        """Removes the rows and their audit records, which would otherwise reach the recycle bin of later tests."""
        rotations = list(Rotation.objects.filter(teacher=teacher).values_list("pk", flat=True))
        employments = list(Employment.objects.filter(teacher=teacher).values_list("pk", flat=True))
        Rotation.objects.filter(pk__in=rotations).delete()
        Teacher.objects.filter(pk=teacher.pk).delete()
        School.objects.filter(pk__in=(employer.pk, host.pk)).delete()
        for model, pks in (
            (Rotation, rotations),
            (Employment, employments),
            (Teacher, [teacher.pk]),
            (School, [employer.pk, host.pk]),
        ):
            model.history.filter(id__in=pks).delete()  # type: ignore[attr-defined]  # added by simple-history
        return len(rotations)

    saved = in_own_connection(count_and_remove)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    assert saved == 1


@pytest.mark.django_db
def test_a_rotation_may_follow_another_but_not_share_a_day_with_it() -> None:
    teacher, employer, host = a_teacher_and_two_schools()
    rotation(teacher, employer, host, date(2021, 9, 1), date(2024, 8, 31)).save()
    rotation(teacher, employer, host, date(2024, 9, 1), date(2027, 8, 31)).save()  # the day after: allowed
    sharing_a_day = rotation(teacher, employer, host, date(2027, 8, 31), date(2030, 8, 31))
    with pytest.raises(ValidationError) as refused:
        sharing_a_day.full_clean()
    assert refused.value.messages == ["该教师在这段时间内已在另一项轮岗中。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        sharing_a_day.save()


@pytest.mark.django_db
def test_an_early_end_frees_the_rest_of_the_planned_period() -> None:
    teacher, employer, host = a_teacher_and_two_schools()
    cut_short = rotation(teacher, employer, host, date(2023, 9, 1), date(2026, 8, 31))
    cut_short.actual_end, cut_short.end_reason = date(2024, 1, 31), "家庭原因"
    cut_short.save()
    rotation(teacher, employer, host, date(2024, 2, 1), date(2027, 1, 31)).save()
    with pytest.raises(IntegrityError), transaction.atomic():  # moving the end back over the new one
        Rotation.objects.filter(pk=cut_short.pk).update(actual_end=date(2024, 6, 30))


@pytest.mark.django_db
def test_an_open_employment_overlaps_everything_after_its_start() -> None:
    teacher, employer, host = a_teacher_and_two_schools()
    Employment.objects.create(teacher=teacher, school=employer, start_date=date(2015, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(teacher=teacher, school=host, start_date=date(2030, 9, 1))
    Employment.objects.filter(teacher=teacher).update(end_date=date(2024, 8, 31))
    Employment.objects.create(teacher=teacher, school=host, start_date=date(2024, 9, 1))
    assert Employment.objects.filter(teacher=teacher).count() == 2


@pytest.mark.django_db
def test_the_constraint_is_the_databases_own() -> None:
    """Not only the forms: the schema holds it (an exclusion constraint or the two triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'x'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"rotation_one_at_a_time", "employment_one_employer_at_a_time"} <= {
        name.removesuffix("_insert").removesuffix("_update") for name in names
    }
