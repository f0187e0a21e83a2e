"""Evaluation pages: monitoring results and the clusters' evaluation, resource balance."""

from .balance import ResourceBalanceView
from .monitoring import ClusterEvaluationView, UploadDetailView, UploadListView, UploadWithdrawView

__all__ = [
    "ClusterEvaluationView",
    "ResourceBalanceView",
    "UploadDetailView",
    "UploadListView",
    "UploadWithdrawView",
]
