"""The records of sharing and joint work in clusters (S2 二(三)), by kind."""

from .courses import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse, Student
from .facilities import Booking, Facility
from .library import (  # the resource library and the cluster's culture (R-D2, R-D4, R-D9)
    ClusterCulture,
    ClusterEvent,
    EventParticipant,
    EventPhoto,
    LibraryResource,
    ResourceRating,
    ResourceUsage,
    ResourceVersion,
)

__all__ = [
    "Booking",
    "ClusterCulture",
    "ClusterEvent",
    "CourseApplication",
    "CourseEnrolment",
    "EnrolmentRound",
    "EventParticipant",
    "EventPhoto",
    "Facility",
    "LibraryResource",
    "ResourceRating",
    "ResourceUsage",
    "ResourceVersion",
    "SharedCourse",
    "Student",
]
