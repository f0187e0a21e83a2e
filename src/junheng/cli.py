"""The `junheng` console command: django-admin with the platform's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
