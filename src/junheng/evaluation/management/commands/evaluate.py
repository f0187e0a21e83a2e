from django.core.management.base import BaseCommand, CommandError

from junheng.evaluation.command import Refused, add_arguments, evaluate_files_to


class Command(BaseCommand):
    help = (
        "The monitoring metrics of one year: per school, district and cluster (R-E3). With --scores and --schools "
        "it reads an analyst's files and needs no database."
    )
    requires_system_checks: list[str] = []  # an analyst's run touches neither URLs nor models

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        add_arguments(parser)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            if options["scores"] or options["schools"]:
                evaluate_files_to(options, self.stdout)
            else:
                raise Refused("platform")
        except Refused as refused:
            raise CommandError(str(refused)) from refused
