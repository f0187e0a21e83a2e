from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "junheng.sharing"
