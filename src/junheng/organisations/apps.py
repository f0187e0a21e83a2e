from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "junheng.organisations"

    def ready(self) -> None:
        from . import map  # noqa: F401  (adds the map to a cluster's page, after the registry's resources)
