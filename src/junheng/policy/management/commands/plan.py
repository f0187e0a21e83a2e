"""`junheng plan rotations`: the rotation planner (issue 15). With --teachers, --schools and --needs it plans an
analyst's files and needs no database (see junheng.policy.planner.command); with --year, the platform's records
(junheng.policy.planning.plan_year). `junheng plan layout`: the layout advisor (issue 17), on an analyst's schools
file (junheng.policy.layout.command)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from junheng.policy.analyst import Refused
from junheng.policy.layout import command as layout
from junheng.policy.planner.command import add_arguments, plan_files, plan_records


class Command(BaseCommand):
    help = (
        "Plans who rotates where: the teachers of quality schools into the weaker schools of their cluster; "
        "or proposes a district's layout of clusters."
    )
    requires_system_checks: list[str] = []  # an analyst's run touches neither URLs nor models

    def add_arguments(self, parser: Any) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        rotations = subcommands.add_parser(
            "rotations",
            help="a proven-optimal plan of rotations from quality into weaker schools, per cluster",
        )
        add_arguments(rotations)
        layout.add_arguments(
            subcommands.add_parser("layout", help="a proven-optimal layout of clusters, per district")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "layout":
                layout.layout_files(options, self.stdout)
            elif options.get("year") is not None:
                plan_records(options, self.stdout, self.stderr)
            else:
                plan_files(options, self.stdout)
        except Refused as refused:
            raise CommandError(str(refused)) from refused
