"""Evaluation pages: monitoring results and the clusters' evaluation, resource balance."""

from .appraisal import AppraisalImportView
from .balance import ResourceBalanceView
from .monitoring import ClusterEvaluationView, UploadDetailView, UploadListView, UploadWithdrawView

__all__ = [
    "AppraisalImportView",
    "ClusterEvaluationView",
    "ResourceBalanceView",
    "UploadDetailView",
    "UploadListView",
    "UploadWithdrawView",
]
