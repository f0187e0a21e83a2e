"""The metrics of what the platform holds: the accepted uploads' Parquet files, the schools and the clusters'
members on 30 June of the year; the results are written to the ORM tables the pages and the rules read."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.editions import thresholds_on
from junheng.core.imports import stored
from junheng.organisations.choices import Stage
from junheng.organisations.models import Cluster, ClusterMembership, District, School, in_force_on

from .analysis import STANDARD_KEYS, DuckEngine, monitoring_day, standard_from
from .command import Refused
from .inputs import quoted, register_schools
from .metrics import Standard, metrics
from .models import ClusterResult, DistrictResult, SchoolResult, ScoreUpload

# Schools spanning stages (nine-year, twelve-year) leave the stage to each student's grade.
STAGE_OF_SCHOOL = {Stage.PRIMARY: "primary", Stage.JUNIOR: "junior"}


def edition_standard(year: int) -> Standard:
    """The model standard of the edition in force in the monitoring year, as the commission has edited it."""
    return standard_from(thresholds_on(monitoring_day(year), STANDARD_KEYS))


membership_day = monitoring_day  # clusters are taken as they stood at the end of the monitoring's school year


def evaluate_platform(year: int, standard: Standard) -> dict[str, Any]:
    files = [stored(u.parquet) for u in ScoreUpload.objects.accepted().filter(year__in=(year, year - 1))]
    if not ScoreUpload.objects.accepted(year).exists():
        raise Refused(_("No monitoring results of %(year)d are loaded.") % {"year": year})
    schools = [
        {
            "school_code": s["code"],
            "school_name": s["name"],
            "district_code": s["district__code"],
            "stage": STAGE_OF_SCHOOL.get(s["stage"], ""),
        }
        for s in School.objects.exclude(code=None)
        .exclude(code="")
        .values("code", "name", "district__code", "stage")
    ]
    members = [
        {
            "cluster": str(m["cluster_id"]),
            "school_code": m["school__code"],
            "district_code": m["cluster__district__code"],
            "tier": m["tier"],
        }
        for m in ClusterMembership.objects.filter(in_force_on(membership_day(year)))
        .exclude(school__code=None)
        .values("cluster_id", "school__code", "cluster__district__code", "tier")
    ]
    listing = ", ".join(f"'{quoted(path)}'" for path in files)
    with tempfile.TemporaryDirectory() as workdir, duckdb.connect() as connection:
        connection.execute("SET preserve_insertion_order = false")
        register_schools(connection, schools, Path(workdir), members)
        connection.execute(f"CREATE VIEW scores AS SELECT * FROM read_parquet([{listing}])")
        result = metrics(DuckEngine(connection), year, standard)
    names = dict(Cluster.objects.values_list("pk", "name"))
    for row in result["clusters"]:  # the SQL keys clusters by id; people read names
        row["cluster_id"] = int(row["cluster"])
        row["cluster"] = names[row["cluster_id"]]
    return result


@transaction.atomic
def save_results(result: dict[str, Any]) -> dict[str, int]:
    """Replaces the year's results with `result`; returns how many rows of each kind were written."""
    year = result["year"]
    schools = dict(School.objects.exclude(code=None).values_list("code", "pk"))
    districts = dict(District.objects.values_list("code", "pk"))
    for model in (SchoolResult, DistrictResult, ClusterResult):
        model.objects.filter(year=year).delete()
    SchoolResult.objects.bulk_create(
        SchoolResult(year=year, school_id=schools[row["school_code"]], **_without(row, "school_code"))
        for row in result["schools"]
    )
    DistrictResult.objects.bulk_create(
        DistrictResult(
            year=year, district_id=districts[row["district_code"]], **_without(row, "district_code")
        )
        for row in result["districts"]
    )
    ClusterResult.objects.bulk_create(
        ClusterResult(year=year, **_without(row, "cluster", "district_code")) for row in result["clusters"]
    )
    return {
        "schools": len(result["schools"]),
        "districts": len(result["districts"]),
        "clusters": len(result["clusters"]),
    }


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}
