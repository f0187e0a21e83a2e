"""`junheng allocate courses`: the fair cross-school course allocation (issue 16, R-D3) over an analyst's files;
it needs no database (see junheng.sharing.allocation.command)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from junheng.sharing.allocation.command import Refused, add_arguments, allocate_files


class Command(BaseCommand):
    help = "Allocates the cluster's shared courses by one shared seeded lottery (random serial dictatorship)."
    requires_system_checks: list[str] = []  # an analyst's run touches neither URLs nor models

    def add_arguments(self, parser: Any) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        courses = subcommands.add_parser(
            "courses",
            help="seats in shared courses for ranked applications, in one lottery order, with waiting lists",
        )
        add_arguments(courses)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            allocate_files(options, self.stdout)
        except Refused as refused:
            raise CommandError(str(refused)) from refused
