"""The resource library's and the cluster culture's lists, details, forms, exports and API (the registry's), the
sections they add to each other's pages and to a cluster's, and the credits on a teacher's record."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from junheng.core.choices import Action
from junheng.core.records import record_resource
from junheng.core.resources import REGISTRY, Section
from junheng.core.scope import can
from junheng.organisations.filtersets import district_filter
from junheng.staffing.choices import TeachingStage
from junheng.staffing.record import RECORD_SECTIONS, RecordSection

from . import library_forms as forms
from .library_choices import EventKind, ResourceKind
from .library_report import builder_credits, credit_header
from .library_services import VIEWS, library_resource_save, usage_record
from .models import (
    ClusterCulture,
    ClusterEvent,
    EventParticipant,
    EventPhoto,
    LibraryResource,
    ResourceRating,
    ResourceVersion,
)

FIRST_ROWS = 10  # a section on another record's page lists these, and links the full list


def _number(field: str, label: Any) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field, label=label)


def _part(name: str, parent_field: str, request: Any, whole: Any, **options: Any) -> Section:
    """A record's parts (a resource's versions, an activity's photos) as a section, with the add link for
    whoever edits the whole."""
    resource = REGISTRY[name]
    rows = resource.scoped(request.user).filter(**{parent_field: whole})
    add = ""
    if resource.form is not None and can(request.user, Action.CHANGE, whole):
        add = f"{reverse(resource.url_prefix + '_add')}?{parent_field}={whole.pk}"
    table = resource.table(rows, orderable=False, exclude=(parent_field,))
    return Section(resource.label, table, add_url=add, **options)


# The library -------------------------------------------------------------------------------------------------


def _resource_related(request: Any, resource: LibraryResource) -> list[Section]:
    return [
        _part("resource-versions", "resource", request, resource),
        _part("resource-ratings", "resource", request, resource),
    ]


def _resource_context(request: Any, resource: LibraryResource) -> dict[str, Any]:
    """What the resource's actions show: the latest version, the user's rating, the loop of feedback, its use.
    Opening the page counts as a view (only a user who may see it reaches here)."""
    usage_record(user=request.user, resource=resource, what=VIEWS)
    mine = resource.ratings.filter(user=request.user.pk).first()
    initial = {"stars": mine.stars, "comment": mine.comment} if mine else {}
    use = resource.usage.aggregate(views=Sum("views"), downloads=Sum("downloads"))
    ratings = resource.ratings.all()
    return {
        "latest": resource.versions.order_by("-number").first(),
        "versions": resource.versions.order_by("-number").prefetch_related("answered"),
        "rating_form": forms.RatingForm(initial=initial),
        "my_rating": mine,
        "open_feedback": ratings.filter(answered_in=None).count(),
        "ratings_count": ratings.count(),
        "mean_rating": sum(r.stars for r in ratings) / len(ratings) if ratings else None,
        "views": use["views"] or 0,
        "downloads": use["downloads"] or 0,
        "may_improve": can(request.user, Action.CHANGE, resource),
    }


record_resource(
    "library-resources",
    LibraryResource,
    ["title", "kind", "subject", "stage", "school", "author", "cluster", "description"],
    ("title__icontains", "subject__icontains", "school__name__icontains", "author__name__icontains"),
    {
        "district": district_filter("school__district"),
        "kind": django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("Kind")),
        "stage": django_filters.ChoiceFilter(choices=TeachingStage.choices, label=_("Stage")),
        "subject": django_filters.CharFilter(field_name="subject", label=_("Subject")),
        "cluster": _number("cluster", _("Cluster (id)")),
        "school": _number("school", _("School (id)")),
        "author": _number("author", _("Author (id)")),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: LibraryResource.objects.select_related("school", "author", "cluster"),
    form=forms.LibraryResourceForm,
    save=library_resource_save,  # with the first version its form was given
    related=_resource_related,
    detail_actions_template="sharing/library/resource_actions.html",
    detail_context=_resource_context,
)
record_resource(
    "resource-versions",
    ResourceVersion,
    ["resource", "number", "link", "note", "created_at"],
    ("resource__title__icontains", "note__icontains"),
    {
        "district": district_filter("resource__school__district"),
        "resource": _number("resource", _("Library resource (id)")),
    },
    lambda: ResourceVersion.objects.select_related("resource"),
    edited=False,  # added on the resource's page (ImproveView), never changed: an improvement is a new version
    form=forms.VersionForm,  # that page's form; the registry offers no edit page
    detail_actions_template="sharing/library/version_actions.html",
)
record_resource(
    "resource-ratings",
    ResourceRating,
    ["resource", "stars", "comment", "answered_in", "rated_at"],
    ("resource__title__icontains", "comment__icontains"),
    {
        "district": district_filter("resource__school__district"),
        "resource": _number("resource", _("Library resource (id)")),
        "stars": django_filters.NumberFilter(field_name="stars", label=_("score (1–5)")),
        "open": django_filters.BooleanFilter(
            field_name="answered_in", lookup_expr="isnull", label=_("Not yet answered")
        ),
    },
    lambda: ResourceRating.objects.select_related("resource", "answered_in__resource"),
    edited=False,  # each user rates on the resource's page, and changes only its own rating there
    form=forms.RatingForm,  # that page's form; the registry offers no edit page
)


# The cluster's culture and student activities ----------------------------------------------------------------


def _event_related(request: Any, event: ClusterEvent) -> list[Section]:
    photos = EventPhoto.objects.restrict(request.user).filter(event=event)
    return [
        _part("event-participants", "event", request, event),
        _part("event-photos", "event", request, event, include="sharing/library/photos.html", data=photos),
    ]


record_resource(
    "cluster-cultures",
    ClusterCulture,
    ["cluster", "motto", "logo", "description"],
    ("cluster__name__icontains", "motto__icontains"),
    {
        "district": district_filter("cluster__district"),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: ClusterCulture.objects.select_related("cluster"),
    form=forms.ClusterCultureForm,
)
record_resource(
    "cluster-events",
    ClusterEvent,
    ["cluster", "school", "kind", "title", "date", "description"],
    ("title__icontains", "school__name__icontains", "cluster__name__icontains"),
    {
        "district": district_filter("cluster__district"),
        "kind": django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind")),
        "cluster": _number("cluster", _("Cluster (id)")),
        "date_from": django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From")),
        "date_to": django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To")),
        "is_demo": django_filters.BooleanFilter(label=_("Demo data")),
    },
    lambda: ClusterEvent.objects.select_related("cluster", "school"),
    form=forms.ClusterEventForm,
    related=_event_related,
)
record_resource(
    "event-participants",
    EventParticipant,
    ["event", "school", "students"],
    ("event__title__icontains", "school__name__icontains"),
    {"event": _number("event", _("Student activity (id)"))},
    lambda: EventParticipant.objects.select_related("event", "school"),
    form=forms.EventParticipantForm,
)
record_resource(
    "event-photos",
    EventPhoto,
    ["event", "image", "caption"],
    ("event__title__icontains", "caption__icontains"),
    {"event": _number("event", _("Student activity (id)"))},
    lambda: EventPhoto.objects.select_related("event"),
    form=forms.EventPhotoForm,
)


def _cluster_sections(request: Any, cluster: Any) -> list[Section]:
    """The cluster's page shows its culture (motto, logo, description), its students' activities and the
    resources shared in it."""
    culture = REGISTRY["cluster-cultures"]
    cultures = culture.scoped(request.user).filter(cluster=cluster)
    add = ""
    if not cultures.exists() and culture.may_add(request.user) and can(request.user, Action.CHANGE, cluster):
        add = f"{reverse('sharing:clusterculture_add')}?cluster={cluster.pk}"
    sections = [
        Section(
            _("Culture and symbols"),
            culture.table(cultures, orderable=False, exclude=("cluster",)),
            add_url=add,
            include="sharing/library/culture.html",
            data=cultures.first(),
        )
    ]
    for name in ("cluster-events", "library-resources"):
        resource = REGISTRY[name]
        rows = resource.scoped(request.user).filter(cluster=cluster)
        count = rows.count()
        more = f"{reverse(resource.url_prefix + '_list')}?cluster={cluster.pk}" if count > FIRST_ROWS else ""
        table = resource.table(rows[:FIRST_ROWS], orderable=False, exclude=("cluster",))
        sections.append(Section(resource.label, table, more_url=more, count=count))
    return sections


REGISTRY["clusters"].more_related.append(_cluster_sections)


# A teacher's record: the resources it built and their use (staffing reads this hook; it imports no sharing)


def _teacher_credits(user: Any, teacher: Any) -> list[RecordSection]:
    credits = builder_credits(user, condition=Q(author=teacher))
    if not credits:
        return []
    return [
        RecordSection(
            title=_("Resources built for the library"),
            header=credit_header(),
            rows=[c.values() for c in credits],
            url=reverse("sharing:library_credits"),
        )
    ]


RECORD_SECTIONS.append(_teacher_credits)
