"""Teachers, where they are employed (编制) and where they work (rotations), and the clusters' staffing plans."""

from .rotations import Rotation, RotationAppraisal, StaffingPlan
from .teachers import EligibilityExclusion, Employment, Teacher

__all__ = ["EligibilityExclusion", "Employment", "Rotation", "RotationAppraisal", "StaffingPlan", "Teacher"]
