from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from junheng.core.periods import SchoolYear, Semester

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_a_day_lies_in_its_school_year_and_semester(day: date) -> None:
    year = SchoolYear.containing(day)
    semester = Semester.containing(day)
    assert year.start <= day <= year.end
    assert semester.start <= day <= semester.end
    assert semester.school_year == year


def test_school_year_starts_on_1_september() -> None:
    assert str(SchoolYear.containing(date(2024, 8, 31))) == "2023-2024"
    assert str(SchoolYear.containing(date(2024, 9, 1))) == "2024-2025"
    assert Semester.containing(date(2025, 1, 31)).number == 1
    assert Semester.containing(date(2025, 2, 1)).number == 2
