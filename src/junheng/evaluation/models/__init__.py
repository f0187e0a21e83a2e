"""The evaluation's records: monitoring results and their metrics, school resources and green indicators,
principal appraisals, and satisfaction surveys."""

from .appraisal import AppraisalForm, AppraisalItem, PrincipalAppraisal
from .balance import GreenIndicatorRecord, ResourceRecord
from .monitoring import (
    ClusterResult,
    DistrictResult,
    SchoolResult,
    ScoreUpload,
    UploadStatus,
)
from .surveys import Survey, SurveyInvitation, SurveyQuestion, SurveyResponse

__all__ = [
    "AppraisalForm",
    "AppraisalItem",
    "ClusterResult",
    "DistrictResult",
    "GreenIndicatorRecord",
    "PrincipalAppraisal",
    "ResourceRecord",
    "SchoolResult",
    "ScoreUpload",
    "Survey",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "UploadStatus",
]
