"""Import jobs: a sheet uploaded on a page is kept, checked and saved by the background worker, with its progress.

The request only checks the file's name, size and first bytes, keeps it under MEDIA_ROOT and queues the job;
`run_import_job` (in `junheng db_worker`) reads it with the bounded reader and saves every row or none.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .imports import ImportFailed, RowError, check_upload, keep_upload, stored
from .models import ImportJob, ImportJobStatus
from .services import object_save
from .tabular import TabularImport, run_import

IMPORTS_DIR = "imports"
SUFFIXES = {".xlsx", ".csv"}

logger = logging.getLogger(__name__)


def import_job_receive(
    *, actor: Any, spec: TabularImport, factory: str, key: str, page: str, file: Any, queue: bool = True
) -> ImportJob:
    """Keeps the uploaded file (a Django File) for the worker and, with `queue`, queues its import; nothing is
    imported yet. `factory` (a dotted path to a function (actor, key) -> TabularImport) and `key` let the
    worker find the sheet's kind again. Raises ImportFailed for a file of the wrong type or size."""
    if not factory.startswith("junheng."):
        raise ValueError(factory)
    head = file.read(4)
    file.seek(0)
    suffix = check_upload(file.name or "", file.size, head, SUFFIXES)
    with transaction.atomic():
        job = object_save(
            actor=actor,
            instance=ImportJob(
                title=spec.title,
                name=Path(file.name or "").name[:200],
                factory=factory,
                key=key,
                page=page,
                language=translation.get_language() or "",
                created_by=actor,
                step=_("Waiting for the worker"),
            ),
            reason=_("Uploaded"),
            check_scope=False,  # a job is its starter's own
        )
        job.incoming = f"{IMPORTS_DIR}/incoming/{job.pk}{suffix}"
        keep_upload(file, job.incoming)
        ImportJob.objects.filter(pk=job.pk).update(incoming=job.incoming)
        if queue:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_import_job_task

    run_import_job_task.enqueue(job_id)


def report_progress(job_id: int, percent: int, step: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress=min(max(percent, 0), 99), step=step[:200])


def run_import_job(job_id: int) -> ImportJob:
    """Imports the waiting file as the user who uploaded it: on success every row is saved, on failure none and
    the first errors are kept. Either way the waiting file is removed. A job delivered twice runs once."""
    language = ImportJob.objects.filter(pk=job_id).values_list("language", flat=True).get()
    with translation.override(language or settings.LANGUAGE_CODE):  # messages in the uploader's language
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
            status=ImportJobStatus.RUNNING, step=_("Reading the file"), progress=1
        )
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        return _run(job) if claimed else job


def _run(job: ImportJob) -> ImportJob:
    source = stored(job.incoming) if job.incoming else None
    try:
        spec = _spec(job)
        data = source.read_bytes() if source else b""
        saved = run_import(
            spec, job.created_by, job.name, data, lambda percent, step: report_progress(job.pk, percent, step)
        )
    except ImportFailed as failed:
        _finish(job, ImportJobStatus.FAILED, errors=failed)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _finish(
            job,
            ImportJobStatus.FAILED,
            errors=ImportFailed(
                [RowError(job.name, None, None, _("The import stopped on an unexpected error."))]
            ),
        )
    else:
        job.saved = saved
        _finish(job, ImportJobStatus.DONE)
    finally:
        if source is not None:
            source.unlink(missing_ok=True)
    return job


def _spec(job: ImportJob) -> TabularImport:
    """The sheet's kind, found again as the page found it, for the user who uploaded it."""
    try:
        spec: TabularImport = import_string(job.factory)(job.created_by, job.key)
    except (Http404, ObjectDoesNotExist, PermissionDenied, KeyError) as gone:
        raise ImportFailed(
            [RowError(job.name, None, None, _("What this sheet is for is no longer yours to change."))]
        ) from gone
    return spec


def _finish(job: ImportJob, status: str, errors: ImportFailed | None = None) -> None:
    # The page says what came of it (the records saved, or the errors); no step is left to show.
    job.status, job.progress, job.step, job.finished_at, job.incoming = status, 100, "", timezone.now(), ""
    if errors is not None:
        job.errors = [str(error) for error in errors.errors]
        job.error_count = errors.count
        job.saved = 0
    object_save(actor=None, instance=job, reason=str(job.get_status_display()), check_scope=False)
