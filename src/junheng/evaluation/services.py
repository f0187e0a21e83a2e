"""Monitoring results uploads: received in the request, checked in a background task, withdrawn by their owner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.imports import ImportFailed, check_upload, keep_upload, stored
from junheng.core.scope import scope_for
from junheng.core.services import object_save
from junheng.organisations.models import District, School

from .inputs import SCORE_SUFFIXES
from .models import ScoreUpload, UploadStatus
from .scores import check_and_store

SCORES_DIR = "scores"


def may_upload_for(actor: Any, district: District | None) -> bool:
    """The commission loads results for the whole city or any district; a bureau that edits loads its own."""
    scope = scope_for(actor, Action.CHANGE)
    return scope.everything or (district is not None and district.pk in scope.districts)


def receive_upload(
    *, actor: Any, year: int, district: District | None, file: Any, queue: bool = True
) -> ScoreUpload:
    """Keeps the uploaded file (a Django File) where the check will find it and, with `queue`, queues the check
    for the worker; nothing is loaded yet."""
    if actor is not None and not may_upload_for(actor, district):
        raise PermissionDenied(_("You may not load results for this district."))
    head = file.read(4)
    file.seek(0)
    suffix = check_upload(file.name, file.size, head, SCORE_SUFFIXES, limit=settings.JUNHENG_MAX_SCORES_BYTES)
    with transaction.atomic():
        upload = object_save(
            actor=actor,
            instance=ScoreUpload(year=year, district=district, name=Path(file.name).name, uploaded_by=actor),
            reason=_("Uploaded"),
            check_scope=False,  # checked above: a city-wide upload lies in no district's scope
        )
        upload.incoming = f"{SCORES_DIR}/incoming/{upload.pk}{suffix}"
        keep_upload(file, upload.incoming)
        ScoreUpload.objects.filter(pk=upload.pk).update(incoming=upload.incoming)
        if queue:
            transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _enqueue(upload_id: int) -> None:
    from .tasks import check_scores

    check_scores.enqueue(upload_id)


def report_progress(upload_id: int, percent: int, step: str) -> None:
    ScoreUpload.objects.filter(pk=upload_id).update(progress=percent, step=step)


def school_codes_for(upload: ScoreUpload) -> set[str]:
    schools = School.objects.exclude(code__isnull=True).exclude(code="")
    if upload.district_id is not None:
        schools = schools.filter(district=upload.district_id)
    return set(schools.values_list("code", flat=True))


def run_upload(upload_id: int, echo: Callable[[int, str], None] | None = None) -> ScoreUpload:
    """Checks the waiting file; on success its rows become the year's results, on failure the errors are kept.
    Either way the waiting file is removed. Progress is written to the upload (and passed to `echo`)."""
    upload = ScoreUpload.objects.get(pk=upload_id)
    if upload.status != UploadStatus.QUEUED:
        return upload  # a task delivered twice checks once
    _set_status(upload, UploadStatus.RUNNING, _("Checking started"))
    relative = f"{SCORES_DIR}/{upload.year}/{upload.pk}.parquet"
    loaded = {
        f"{other.name}（#{other.pk}）": stored(other.parquet)
        for other in ScoreUpload.objects.accepted(upload.year).exclude(pk=upload.pk)
    }
    source = stored(upload.incoming)

    def progress(percent: int, step: str) -> None:
        report_progress(upload.pk, percent, step)
        if echo:
            echo(percent, step)

    try:
        accepted = check_and_store(
            source,
            upload.name,
            upload.year,
            school_codes_for(upload),
            loaded,
            stored(relative),
            progress,
        )
    except ImportFailed as failed:
        upload.errors = [str(error) for error in failed.errors]
        upload.error_count = len(failed.errors)
        _set_status(upload, UploadStatus.FAILED, _("Refused: nothing was loaded"))
    else:
        upload.parquet, upload.rows = relative, accepted.rows
        try:
            _set_status(upload, UploadStatus.DONE, _("Accepted"))
        except Exception:
            stored(relative).unlink(missing_ok=True)  # nothing half-saved: no file without its record
            raise
    finally:
        source.unlink(missing_ok=True)
    return upload


def _set_status(upload: ScoreUpload, status: str, reason: str) -> None:
    upload.status, upload.step = status, reason
    if status in (UploadStatus.DONE, UploadStatus.FAILED):
        upload.progress, upload.finished_at = 100, timezone.now()
    object_save(actor=None, instance=upload, reason=reason, check_scope=False)


@transaction.atomic
def withdraw_upload(*, actor: Any, upload: ScoreUpload) -> None:
    """Takes an accepted upload's results out of the year; its file is removed once the change is committed."""
    if not may_upload_for(actor, upload.district):
        raise PermissionDenied(_("You may not load results for this district."))
    if upload.status != UploadStatus.DONE:
        raise PermissionDenied(_("Only an accepted upload can be withdrawn."))
    path = stored(upload.parquet)
    upload.status = UploadStatus.WITHDRAWN
    upload.step = _("Withdrawn")
    object_save(actor=actor, instance=upload, reason=_("Withdrawn"), check_scope=False)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
