"""The rules: small classes, one per requirement (or part of one), registered in one catalog — the base and its
helpers in `base` and `periods`, the hand-in-hand plan's rules in `s1`, the model clusters' in `s2` (their teacher
flow, S2 二(二), in `s2_flow`; their shared courses, S2 二(三), in `s2_sharing`; joint research and probation,
S2 二(三)2, in `s2_research`)."""

from junheng.core.editions import ThresholdValue

from . import s1, s2, s2_clusters, s2_flow, s2_research, s2_sharing  # noqa: F401  (importing them registers their rules)
from .base import CATALOG, Context, FindingData, Rule
from .periods import add_months, calendar_periods, count_per_period_status

__all__ = [
    "CATALOG",
    "Context",
    "FindingData",
    "Rule",
    "ThresholdValue",
    "add_months",
    "calendar_periods",
    "count_per_period_status",
]
