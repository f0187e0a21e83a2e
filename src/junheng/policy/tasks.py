"""Background work of the policy app: run by `junheng db_worker`."""

from datetime import date

from django_tasks import task

from .planning import run_plan
from .schedule import district_runs


@task()
def district_compliance(district_id: int) -> None:
    district_runs(district_id, date.today())


@task()
def rotation_plan(plan_id: int) -> None:
    run_plan(plan_id)
