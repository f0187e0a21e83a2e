"""The evaluation's records: monitoring results and their metrics, school resources and green indicators,
principal appraisals, and satisfaction surveys."""

from .balance import GreenIndicatorRecord, ResourceRecord
from .monitoring import (
    ClusterResult,
    DistrictResult,
    SchoolResult,
    ScoreUpload,
    UploadStatus,
)

__all__ = [
    "ClusterResult",
    "DistrictResult",
    "GreenIndicatorRecord",
    "ResourceRecord",
    "SchoolResult",
    "ScoreUpload",
    "UploadStatus",
]
