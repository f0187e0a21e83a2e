from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from junheng.evaluation.command import Refused, add_arguments, check_output, evaluate_files_to, write_result


class Command(BaseCommand):
    help = (
        "The monitoring metrics of one year: per school, district and cluster (R-E3). With --scores and --schools "
        "it reads an analyst's files and needs no database."
    )
    requires_system_checks: list[str] = []  # an analyst's run touches neither URLs nor models

    def add_arguments(self, parser: Any) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["scores"] or options["schools"]:
                evaluate_files_to(options, self.stdout)
            else:
                self._evaluate_platform(options)
        except Refused as refused:
            raise CommandError(str(refused)) from refused

    def _evaluate_platform(self, options: dict[str, Any]) -> None:
        """What the platform holds: the results are saved for the pages and rules, and written out as asked."""
        from junheng.evaluation.platform import edition_standard, evaluate_platform, save_results

        check_output(options)
        result = evaluate_platform(options["year"], edition_standard(options["year"]))
        counts = save_results(result)
        self.stderr.write(
            _(
                "Saved the results of %(year)d: %(schools)d school rows, %(districts)d district rows, %(clusters)d cluster rows."
            )
            % {"year": options["year"], **counts}
        )
        if options["output"] or options["format"] == "json":
            write_result(result, options["format"], options["output"], self.stdout)
