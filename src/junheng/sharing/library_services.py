"""The writes of the resource library: a resource with its first version, an improvement as a new version that
may answer ratings, a user's rating, and the counting of views and downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import can, scope_for
from junheng.core.services import object_save
from junheng.staffing.models import Teacher

from .models import LibraryResource, ResourceRating, ResourceUsage, ResourceVersion

VIEWS, DOWNLOADS = "views", "downloads"


@transaction.atomic
def library_resource_save(*, actor: Any, instance: LibraryResource) -> LibraryResource:
    """Saves the resource; a new one comes with its first version (the file or link its form was given)."""
    first = getattr(instance, "first_version", None)
    saved = object_save(actor=actor, instance=instance)
    if first is not None and not saved.versions.exists():
        version_add(actor=actor, resource=saved, **first)
    return saved


@transaction.atomic
def version_add(
    *,
    actor: Any,
    resource: LibraryResource,
    file: Any = None,
    link: str = "",
    note: str = "",
    answers: list[ResourceRating] | None = None,
) -> ResourceVersion:
    """A new version of the resource, numbered after the last; the old ones stay. The ratings it answers are
    marked answered by it (only the resource's own)."""
    if not can(actor, Action.CHANGE, resource):
        raise PermissionDenied(_("Only the resource's school and its district may add versions."))
    # Taking the resource's row first makes two improvements at once number themselves one after the other.
    LibraryResource.objects.select_for_update().filter(pk=resource.pk).first()
    last = resource.versions.aggregate(last=Max("number"))["last"] or 0
    version = ResourceVersion(
        resource=resource,
        number=last + 1,
        file=file or "",
        link=link,
        note=note,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    object_save(actor=actor, instance=version)
    if answers:
        ids = [rating.pk for rating in answers]
        ResourceRating.objects.filter(resource=resource, pk__in=ids).update(answered_in=version)
    return version


@transaction.atomic
def resource_rate(*, actor: Any, resource: LibraryResource, stars: int, comment: str = "") -> ResourceRating:
    """The actor's one rating of a resource it may see, made or changed; changed feedback is open again."""
    if not LibraryResource.objects.restrict(actor).filter(pk=resource.pk).exists():
        raise PermissionDenied
    rating = ResourceRating.objects.filter(resource=resource, user=actor).first()
    if rating is None:
        rating = ResourceRating(resource=resource, user=actor)
    elif (rating.stars, rating.comment) != (stars, comment):
        rating.answered_in = None
    rating.stars, rating.comment = stars, comment
    # A rater changes its own rating, not the resource: the editing scope is not asked.
    return object_save(actor=actor, instance=rating, check_scope=False)


def viewer_school(user: Any) -> int | None:
    """The school whose use a user's view counts for: its school (the first, if it has several), or the employer
    of its teacher record; None for bureaus, cluster offices and the commission."""
    schools = scope_for(user).schools
    if schools:
        return min(schools)
    employer: int | None = Teacher.objects.filter(user=user.pk).values_list("employer", flat=True).first()
    return employer


def month_of(day: date) -> date:
    return day.replace(day=1)


def usage_record(*, user: Any, resource: LibraryResource, what: str, day: date | None = None) -> bool:
    """Counts one view or download of the resource by the user's school this month, if the user may see it
    (whether it was counted is returned). The row is incremented in the database (F()), so that concurrent
    requests lose no count; two first requests of a month both creating it meet the unique constraint, and the
    second then increments the first's row."""
    assert what in (VIEWS, DOWNLOADS), what
    if not LibraryResource.objects.restrict(user).filter(pk=resource.pk).exists():
        return False
    key: dict[str, Any] = {
        "resource": resource,
        "school_id": viewer_school(user),
        "month": month_of(day or timezone.localdate()),
    }
    try:
        with transaction.atomic():
            usage, _created = ResourceUsage.objects.get_or_create(**key)
    except IntegrityError:
        usage = ResourceUsage.objects.get(**key)
    ResourceUsage.objects.filter(pk=usage.pk).update(**{what: F(what) + 1})
    return True
