"""The `junheng` console command: django-admin with the platform's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.settings")
    if sys.argv[1:2] == ["evaluate"]:
        from junheng.evaluation.command import main as evaluate_files
        from junheng.evaluation.command import wants_files

        if wants_files(sys.argv[2:]):
            sys.exit(evaluate_files(sys.argv[2:]))
    if sys.argv[1:3] == ["plan", "layout"]:  # an analyst's file and nothing of the database: never the apps
        from junheng.policy.layout.command import main as lay_out

        sys.exit(lay_out(sys.argv[3:]))
    if sys.argv[1:3] == ["plan", "rotations"]:
        from junheng.policy.planner.command import main as plan_files
        from junheng.policy.planner.command import runs_without_database

        if runs_without_database(sys.argv[3:]):
            sys.exit(plan_files(sys.argv[3:]))
    if sys.argv[1:3] == ["allocate", "courses"]:  # reads only its files: never the platform
        from junheng.sharing.allocation.command import main as allocate_files

        sys.exit(allocate_files(sys.argv[3:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
