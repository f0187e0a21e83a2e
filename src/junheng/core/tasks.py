"""Background work of the core: sheets of records uploaded on the import pages, run by `junheng db_worker`."""

from django_tasks import task

from .jobs import run_import_job


@task()
def run_import_job_task(job_id: int) -> None:
    run_import_job(job_id)
