"""Evaluation pages: monitoring results and the clusters' evaluation, resource balance."""

from .appraisal import AppraisalImportView
from .balance import ResourceBalanceView
from .monitoring import (
    ClusterEvaluationView,
    ClusterReportView,
    UploadDetailView,
    UploadListView,
    UploadTemplateView,
    UploadWithdrawView,
)
from .surveys import SurveyAnswerView, SurveyImportView, SurveyLinksView

__all__ = [
    "AppraisalImportView",
    "ClusterEvaluationView",
    "ClusterReportView",
    "ResourceBalanceView",
    "SurveyAnswerView",
    "SurveyImportView",
    "SurveyLinksView",
    "UploadDetailView",
    "UploadListView",
    "UploadTemplateView",
    "UploadWithdrawView",
]
