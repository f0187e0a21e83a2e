from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Role administration: who holds which role where. Reads every app below it; no app reads it."""

    name = "junheng.accounts"
