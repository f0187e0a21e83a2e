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
from .research import (  # joint research, guidance visits and probation (R-D5–R-D7)
    ClusterResearchSetting,
    FollowUpAction,
    GuidanceTeamMember,
    NewTeacherProbation,
    ResearchActivity,
    ResearchEvidence,
    ResearchParticipant,
    SupervisoryVisit,
)

__all__ = [
    "Booking",
    "ClusterCulture",
    "ClusterEvent",
    "ClusterResearchSetting",
    "CourseApplication",
    "CourseEnrolment",
    "EnrolmentRound",
    "EventParticipant",
    "EventPhoto",
    "Facility",
    "FollowUpAction",
    "GuidanceTeamMember",
    "LibraryResource",
    "NewTeacherProbation",
    "ResearchActivity",
    "ResearchEvidence",
    "ResearchParticipant",
    "ResourceRating",
    "ResourceUsage",
    "ResourceVersion",
    "SharedCourse",
    "Student",
    "SupervisoryVisit",
]
