"""The records of sharing and joint work in clusters (S2 二(三)), by kind."""

from .courses import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student
from .facilities import Booking, Facility

__all__ = [
    "Booking",
    "CourseApplication",
    "CourseEnrolment",
    "EnrolmentRound",
    "Facility",
    "SharedCourse",
    "Student",
]
