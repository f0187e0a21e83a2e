"""Crediting the builders of well-used resources (R-D4): per teacher and school, the resources built, their
versions, views, downloads and mean rating, over the resources the user may see. The page, its Excel and the
section of a teacher's record read these rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from junheng.core.exports import write_xlsx

from .models import LibraryResource, ResourceRating, ResourceUsage, ResourceVersion

Key = tuple[int | None, int]  # (author, school)


@dataclass
class Credit:
    teacher: str
    teacher_id: int | None
    school: str
    resources: int = 0
    versions: int = 0
    views: int = 0
    downloads: int = 0
    ratings: int = 0
    mean_rating: float | None = None

    def values(self) -> list[Any]:
        mean = "—" if self.mean_rating is None else f"{self.mean_rating:.1f}"
        return [self.teacher, self.school, self.resources, self.versions, self.views, self.downloads, mean]


def credit_header() -> list[str]:
    return [
        _("teacher"),
        _("school"),
        _("resources built"),
        _("versions"),
        _("views"),
        _("downloads"),
        _("mean rating"),
    ]


def _by_builder(queryset: Any, prefix: str, **aggregates: Any) -> dict[Key, dict[str, Any]]:
    rows = queryset.values(f"{prefix}author", f"{prefix}school").annotate(**aggregates)
    return {(row[f"{prefix}author"], row[f"{prefix}school"]): row for row in rows}


def builder_credits(user: Any, condition: Q | None = None) -> list[Credit]:
    """The credits over the resources the user sees (and `condition` selects), most used first. Five grouped
    queries, whatever the number of builders."""
    resources = LibraryResource.objects.restrict(user).filter(condition or Q())
    built = _by_builder(resources, "", n=Count("pk"))
    through = {"resource__in": resources.values("pk")}
    versions = _by_builder(ResourceVersion.objects.filter(**through), "resource__", n=Count("pk"))
    usage = _by_builder(
        ResourceUsage.objects.filter(**through), "resource__", views=Sum("views"), downloads=Sum("downloads")
    )
    ratings = _by_builder(
        ResourceRating.objects.filter(**through), "resource__", n=Count("pk"), mean=Avg("stars")
    )
    names = dict(resources.values_list("author", "author__name").distinct())
    schools = dict(resources.values_list("school", "school__name").distinct())
    credits = []
    for key in built:
        author, school = key
        used, rated = usage.get(key, {}), ratings.get(key, {})
        credits.append(
            Credit(
                teacher=names.get(author) or _("(no author named)"),
                teacher_id=author,
                school=schools[school],
                resources=built[key]["n"],
                versions=versions.get(key, {}).get("n", 0),
                views=used.get("views") or 0,
                downloads=used.get("downloads") or 0,
                ratings=rated.get("n", 0),
                mean_rating=rated.get("mean"),
            )
        )
    return sorted(credits, key=lambda c: (-(c.views + c.downloads), -c.resources, c.school, c.teacher))


def credits_xlsx(credits: list[Credit]) -> bytes:
    stream = io.BytesIO()
    write_xlsx([credit_header(), *(c.values() for c in credits)], stream, _("Resource builders"))
    return stream.getvalue()
