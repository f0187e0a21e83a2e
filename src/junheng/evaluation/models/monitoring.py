"""Monitoring results (学业质量监测) as uploaded, and the metrics computed from them (R-E3).

Student-level scores are not ORM rows: each accepted upload is one Parquet file that DuckDB reads. What the
platform shows and judges — per school, district and cluster — is written back here by `evaluate`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.choices import Stage
from junheng.organisations.models import Cluster, District, School

from .scopes import ResultQuerySet


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Accepted")
    FAILED = "failed", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ScoreUploadQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        # A district bureau loads its own schools' results; a city-wide upload is the commission's alone.
        return Q(district__in=scope.districts)

    def accepted(self, year: int | None = None) -> ScoreUploadQuerySet:
        uploads = self.filter(status=UploadStatus.DONE)
        return uploads.filter(year=year) if year is not None else uploads


class ScoreUpload(DetailPage, models.Model):
    """One file of monitoring results for one year, checked as a whole: accepted with every row or not at all."""

    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for a city-wide upload."),
    )
    name = models.CharField(_("file name"), max_length=200)
    # Where the file waits to be checked, then where its checked rows lie as Parquet (relative to MEDIA_ROOT).
    incoming = models.CharField(max_length=300, blank=True, editable=False)
    parquet = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScoreUploadQuerySet.as_manager()
    # Each change of status is audited; progress is written past the history (`report_progress`).
    history = HistoricalRecords(excluded_fields=["progress", "step"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("monitoring results upload")
        verbose_name_plural = _("monitoring results uploads")

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"

    @property
    def is_pending(self) -> bool:
        return self.status in (UploadStatus.QUEUED, UploadStatus.RUNNING)


class SchoolResultQuerySet(ResultQuerySet):
    parent = "school"


class SchoolResult(DetailPage, models.Model):
    """One school's results in one subject and year (both stages of a nine-year school pooled)."""

    year = models.PositiveSmallIntegerField(_("year"))
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=20)
    students = models.PositiveIntegerField(_("students"))
    mean = models.FloatField(_("mean score"))
    sd = models.FloatField(_("standard deviation"), null=True)
    pass_share = models.FloatField(_("share at pass level or above"))
    change = models.FloatField(_("change on last year"), null=True)
    value_added = models.FloatField(_("value added"), null=True)

    objects = SchoolResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "school", "subject"]
        verbose_name = _("school result")
        verbose_name_plural = _("school results")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "school", "subject"],
                name="school_result_unique",
                violation_error_message=_("The school already has a result in this subject for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.school} · {self.subject}"


class DistrictResultQuerySet(ResultQuerySet):
    parent = "district"


class DistrictResult(DetailPage, models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    subject = models.CharField(_("subject"), max_length=20)
    schools = models.PositiveIntegerField(_("schools"))
    students = models.PositiveIntegerField(_("students"))
    pass_share = models.FloatField(_("share at pass level or above"))

    objects = DistrictResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "district", "stage", "subject"]
        verbose_name = _("district result")
        verbose_name_plural = _("district results")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district", "stage", "subject"],
                name="district_result_unique",
                violation_error_message=_(
                    "The district already has a result for this year, stage and subject."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.district} · {self.get_stage_display()} · {self.subject}"


class ClusterResultQuerySet(ResultQuerySet):
    parent = "cluster"


class ClusterResult(DetailPage, models.Model):
    """A cluster's balance in one stage and subject of one year, judged against the model standard (R-E3)."""

    year = models.PositiveSmallIntegerField(_("year"))
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    subject = models.CharField(_("subject"), max_length=20)
    schools = models.PositiveIntegerField(_("schools"))
    students = models.PositiveIntegerField(_("students"))
    between_school_share = models.FloatField(_("between-school share of variance"), null=True)
    weighted_cv = models.FloatField(_("weighted coefficient of variation"), null=True)
    pass_share = models.FloatField(_("share at pass level or above"))
    district_pass_share = models.FloatField(_("district's share at pass level or above"), null=True)
    weaker_schools_improved = models.BooleanField(_("weaker schools improved"), null=True)
    meets_model_standard = models.BooleanField(_("meets the model standard"))

    objects = ClusterResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "cluster", "stage", "subject"]
        verbose_name = _("cluster result")
        verbose_name_plural = _("cluster results")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cluster", "stage", "subject"],
                name="cluster_result_unique",
                violation_error_message=_(
                    "The cluster already has a result for this year, stage and subject."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.cluster} · {self.get_stage_display()} · {self.subject}"
