"""Background work of the evaluation: run by `junheng db_worker`."""

from django_tasks import task

from .services import run_upload


@task()
def check_scores(upload_id: int) -> None:
    run_upload(upload_id)
