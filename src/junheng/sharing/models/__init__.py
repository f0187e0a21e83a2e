"""The records of sharing and joint work in clusters (S2 二(三)), by kind."""

from .facilities import Booking, Facility
from .research import (
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
    "ClusterResearchSetting",
    "Facility",
    "FollowUpAction",
    "GuidanceTeamMember",
    "NewTeacherProbation",
    "ResearchActivity",
    "ResearchEvidence",
    "ResearchParticipant",
    "SupervisoryVisit",
]
