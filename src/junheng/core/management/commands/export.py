import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from junheng.core.commands import user_named
from junheng.core.exports import FORMATS, write_export
from junheng.core.resources import REGISTRY


class Command(BaseCommand):
    help = _("Exports a list (the API's items as JSON, the list page's columns as CSV or Excel).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("resource", choices=sorted(REGISTRY))
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument(
            "--output", "-o", type=Path, help=_("file to write; standard output when omitted")
        )
        parser.add_argument("--user", help=_("export only what this user may see"))
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=_("a filter of the list page, e.g. district=310101 (repeatable)"),
        )

    def handle(
        self, *args: Any, resource: str, fmt: str, output: Any, user: Any, filter: Any, **options: Any
    ) -> None:
        spec = REGISTRY[resource]
        account = user_named(user)
        queryset = spec.queryset() if account is None else spec.scoped(account)
        data = {}
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep or name not in spec.filterset.base_filters:
                raise CommandError(
                    _("Unknown filter “%(item)s”; filters: %(names)s")
                    % {"item": item, "names": ", ".join(spec.filterset.base_filters)}
                )
            data[name] = value
        filterset = spec.filterset(data, queryset=queryset, request=None)
        if not filterset.is_valid():
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
        if output:
            with output.open("wb") as stream:
                write_export(spec, filterset.qs, fmt, stream)
        else:
            write_export(spec, filterset.qs, fmt, sys.stdout.buffer)
            sys.stdout.flush()
