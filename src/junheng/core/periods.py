"""School years and semesters: the year starts on 1 September; semester 1 runs Sep–Jan, semester 2 Feb–Aug."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True)
class SchoolYear:
    start_year: int

    @classmethod
    def containing(cls, day: date) -> "SchoolYear":
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def start(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


@dataclass(frozen=True, order=True)
class Semester:
    school_year: SchoolYear
    number: int  # 1 or 2

    @classmethod
    def containing(cls, day: date) -> "Semester":
        return cls(SchoolYear.containing(day), 1 if day.month >= 9 or day.month == 1 else 2)

    @property
    def start(self) -> date:
        year = self.school_year.start_year
        return date(year, 9, 1) if self.number == 1 else date(year + 1, 2, 1)

    @property
    def end(self) -> date:
        year = self.school_year.start_year
        return date(year + 1, 1, 31) if self.number == 1 else date(year + 1, 8, 31)

    def __str__(self) -> str:
        return f"{self.school_year} 第{self.number}学期"
