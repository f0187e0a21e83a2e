from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "junheng.policy"

    def ready(self) -> None:
        from junheng.core.tabular import records_imported

        from .schedule import queue_district_runs

        records_imported.connect(queue_district_runs, dispatch_uid="policy.queue_district_runs")
