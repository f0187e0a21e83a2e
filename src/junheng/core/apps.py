from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "junheng.core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Each app declares its list/export/API resources in resources.py, its sheets of records in imports.py.
        autodiscover_modules("resources", "imports")
