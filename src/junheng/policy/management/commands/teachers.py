"""`junheng teachers eligible --school NAME --year 2024 --format json|csv`: a school's rotation-eligible teachers
on 1 September of the school year (R-C1), with the continuous years of the edition's threshold, less those marked
not eligible for the year. In the policy app because it reads the edition's threshold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from junheng.core.commands import user_named
from junheng.core.exports import neutralised, write_csv
from junheng.core.periods import SchoolYear
from junheng.organisations.models import School
from junheng.policy.models import PolicyEdition
from junheng.policy.selectors import ELIGIBLE_YEARS_KEY, eligible_years_threshold
from junheng.staffing.selectors import eligibility, eligibility_rows

SUBCOMMANDS = ["eligible"]


class Command(BaseCommand):
    help = (
        "teachers eligible: a school's rotation-eligible teachers on 1 September of a school year (R-C1), "
        "as JSON or CSV."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=SUBCOMMANDS)
        parser.add_argument("--school", required=True, help="the school's name, exactly as registered")
        parser.add_argument(
            "--district",
            help="the school's district (code or name), when schools of that name are in several",
        )
        parser.add_argument(
            "--year", type=int, required=True, help="the school year by its starting year: 2024 is 2024-2025"
        )
        parser.add_argument("--format", dest="fmt", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--edition",
            help="the edition whose R-C1 threshold to read (default: the one in force on 1 September)",
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write; standard output when omitted")
        parser.add_argument(
            "--user", help="only the schools this user may see (default: the platform itself)"
        )

    def handle(
        self,
        *args: Any,
        school: str,
        district: str | None,
        year: int,
        fmt: str,
        edition: str | None,
        output: Path | None,
        user: str | None,
        **options: Any,
    ) -> None:
        found = school_named(school, district, user_named(user))
        threshold = eligible_years_threshold(year, edition_coded(edition) if edition else None)
        if threshold is None or threshold.value is None:
            raise CommandError(
                _("The edition %(edition)s has no threshold %(key)s.")
                % {"edition": edition or "", "key": ELIGIBLE_YEARS_KEY}
            )
        years = int(threshold.value)
        first_day = SchoolYear(year).start
        rows = [
            {
                **row,
                "school": found.name,
                "district": found.district.name if found.district else "",
                "school_year": str(SchoolYear(year)),
                "years_required": years,
                "edition": threshold.edition,
            }
            for row in eligibility_rows(eligibility([found.pk], year, years)[found.pk], first_day)
        ]
        if fmt == "json":
            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        table = [list(COLUMNS)] + [[row[key] for key in COLUMNS] for row in rows]
        if output:
            with output.open("wb") as stream:
                write_csv(table, stream)
        else:
            buffer = io.StringIO()
            csv.writer(buffer).writerows([neutralised(v) for v in line] for line in table)
            self.stdout.write(buffer.getvalue(), ending="")


COLUMNS = (
    "staff_number",
    "name",
    "subject",
    "backbone_tier",
    "cadre",
    "employed_since",
    "continuous_years",
    "school",
    "district",
    "school_year",
    "years_required",
    "edition",
)


def edition_coded(code: str) -> PolicyEdition:
    edition: PolicyEdition | None = PolicyEdition.objects.filter(code=code).first()
    if edition is None:
        codes = "、".join(PolicyEdition.objects.values_list("code", flat=True))
        raise CommandError(
            _("No policy edition has the code %(code)s; there are: %(codes)s.")
            % {"code": code, "codes": codes}
        )
    return edition


def school_named(name: str, district: str | None, user: Any) -> School:
    """The one school of that name (in the district, if given) that the user may see."""
    schools = School.objects.restrict(user) if user is not None else School.objects.all()
    matches = schools.filter(name=name.strip()).select_related("district")
    if district:
        matches = matches.filter(Q(district__code=district) | Q(district__name=district))
    found = list(matches.order_by("district__code", "pk")[:11])
    if len(found) == 1:
        one: School = found[0]
        return one
    if not found:
        if district:
            message = _("No school in %(district)s is named “%(name)s”.") % {
                "district": district,
                "name": name,
            }
        else:
            message = _("No school is named “%(name)s”.") % {"name": name}
        similar = list(schools.filter(name__contains=name.strip()).values_list("name", flat=True)[:5])
        if similar:
            message += _(" Similar names: %(names)s.") % {"names": "、".join(similar)}
        raise CommandError(message)
    districts = "、".join(s.district.name if s.district else _("no district") for s in found)
    raise CommandError(
        _("%(count)d schools are named “%(name)s” (%(districts)s): give the district with --district.")
        % {"count": len(found), "name": name, "districts": districts}
    )
