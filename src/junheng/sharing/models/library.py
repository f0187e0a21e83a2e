"""The digital resource library (R-D2, R-D4) and the cluster's student activities and culture (R-D9).

A resource is built by a teacher of a school and shared in one of the school's clusters; each improvement is a new
version (the old ones stay downloadable), and a version may name the ratings it answers, which closes the loop of
evaluation, feedback and optimisation. Views and downloads are counted in one row per resource, viewing school and
month, so that the report credits builders by use without reading a log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.imports import file_size_within_limit
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster, ClusterMembership, School
from junheng.staffing.choices import TeachingStage
from junheng.staffing.models import Teacher
from junheng.staffing.models.teachers import schools_in_reach

from ..library_choices import IMAGE_SUFFIXES, RESOURCE_SUFFIXES, STARS, EventKind, ResourceKind


def shared_with(scope: Scope) -> Q:
    """Records of a school or shared in a cluster: seen by whoever sees the school (its district, its cluster
    offices) and by every member school of the cluster."""
    schools = School.objects.filter(schools_in_reach(scope, Action.VIEW))
    return Q(school__in=schools) | Q(cluster__in=Cluster.objects.within(scope, Action.VIEW))


def edited_by(scope: Scope, action: str) -> Q:
    """Changed by the school that owns the record and its district."""
    return Q(school__in=School.objects.within(scope, action))


def is_member(school: School | None, cluster: Cluster | None) -> bool:
    return bool(
        school and cluster and ClusterMembership.objects.filter(school=school, cluster=cluster).exists()
    )


def image_file(upload_to: str, verbose_name: Any = None, blank: bool = False) -> models.FileField:
    """An image field whose type and size are checked like every upload (content against the extension)."""
    return models.FileField(
        verbose_name,
        upload_to=upload_to,
        blank=blank,
        validators=[FileExtensionValidator(IMAGE_SUFFIXES), file_size_within_limit],
    )


class LibraryResourceQuerySet(RestrictedQuerySet):
    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return edited_by(scope, action)
        mine = Q(author__user=scope.user_id) if scope.user_id else Q(pk__in=())  # a teacher sees its own
        return shared_with(scope) | mine


class LibraryResource(DetailPage, models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    subject = models.CharField(_("subject"), max_length=30)
    stage = models.CharField(_("stage"), max_length=10, choices=TeachingStage.choices)
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="library_resources"
    )
    author = models.ForeignKey(
        Teacher,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="library_resources",
        null=True,
        blank=True,
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("shared in"), on_delete=models.PROTECT, related_name="library_resources"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = LibraryResourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.school_id and self.cluster_id and not is_member(self.school, self.cluster):
            raise ValidationError({"cluster": _("The school is not a member of this cluster.")})
        if self.author is not None and self.school_id and self.author.employer_id != self.school_id:
            raise ValidationError({"author": _("The author is not a teacher of this school.")})


class ThroughResourceQuerySet(RestrictedQuerySet):
    """Versions, ratings and usage are seen with their resource and changed by whoever changes it."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(resource__in=LibraryResource.objects.within(scope, action))


class ResourceVersion(DetailPage, models.Model):
    resource = models.ForeignKey(
        LibraryResource, verbose_name=_("library resource"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"),
        upload_to="library/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(RESOURCE_SUFFIXES), file_size_within_limit],
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ThroughResourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "-number"]
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"],
                name="resource_version_numbered_once",
                violation_error_message=_("The resource already has a version of this number."),
            ),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="resource_version_file_or_link",
                violation_error_message=_("A version is either a file or a link."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} · v{self.number}"


class ResourceRating(DetailPage, models.Model):
    resource = models.ForeignKey(
        LibraryResource, verbose_name=_("library resource"), on_delete=models.CASCADE, related_name="ratings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.CASCADE, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(
        _("score (1–5)"), choices=STARS, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)
    # The loop of evaluation, feedback and optimisation: the version that answers this rating and comment; empty
    # while the feedback is open (a changed rating is open again).
    answered_in = models.ForeignKey(
        ResourceVersion,
        verbose_name=_("answered in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered",
    )

    objects = ThroughResourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "-rated_at"]
        verbose_name = _("resource rating")
        verbose_name_plural = _("resource ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "user"],
                name="resource_rated_once_per_user",
                violation_error_message=_("You have rated this resource already."),
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="resource_rating_one_to_five",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} · {self.stars}★"


class ResourceUsage(models.Model):
    """Views and downloads of a resource by the users of one school in one month (school empty: users of a
    bureau, a cluster office or the commission). Only `library_services.usage_record` writes it, with F()."""

    resource = models.ForeignKey(LibraryResource, on_delete=models.CASCADE, related_name="usage")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField()  # its first day
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    objects = ThroughResourceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "school", "month"],
                condition=Q(school__isnull=False),
                name="resource_usage_one_row_per_school_month",
                violation_error_message=_("The resource's use by this school this month is already counted."),
            ),
            models.UniqueConstraint(
                fields=["resource", "month"],
                condition=Q(school__isnull=True),
                name="resource_usage_one_row_per_month_without_school",
                violation_error_message=_("The resource's use this month is already counted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} · {self.month:%Y-%m}"


# The cluster's culture and its students' activities (R-D9) ----------------------------------------------------


class ClusterCultureQuerySet(RestrictedQuerySet):
    """Seen with the cluster, changed by whoever changes the cluster (its office and district)."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class ClusterCulture(DetailPage, models.Model):
    """A cluster's motto, logo and the culture it states (S2 二(三)3: 凝练学区、集团文化，设置文化符号或标识)."""

    cluster = models.OneToOneField(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="culture"
    )
    motto = models.CharField(_("motto"), max_length=100)
    logo = image_file("culture/", _("logo"), blank=True)
    description = models.TextField(_("culture"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ClusterCultureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster"]
        verbose_name = _("cluster culture")
        verbose_name_plural = _("cluster cultures")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.motto}"


class ClusterEventQuerySet(RestrictedQuerySet):
    """Seen by the cluster's readers and the participating schools' readers; changed by the organising school,
    the cluster's office and their districts."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return edited_by(scope, action) | Q(cluster__in=scope.clusters)
        schools = School.objects.filter(schools_in_reach(scope, action))
        joined = EventParticipant.objects.filter(school__in=schools).values("event")
        return shared_with(scope) | Q(pk__in=joined)


class ClusterEvent(DetailPage, models.Model):
    """A cross-school student activity or showcase of a cluster (S2 二(三)3)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="student_events"
    )
    school = models.ForeignKey(
        School, verbose_name=_("organising school"), on_delete=models.PROTECT, related_name="organised_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ClusterEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("student activity")
        verbose_name_plural = _("student activities")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.school_id and self.cluster_id and not is_member(self.school, self.cluster):
            raise ValidationError({"school": _("The school is not a member of this cluster.")})


class ThroughEventQuerySet(RestrictedQuerySet):
    """An activity's participants and photos are seen and changed with the activity."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(event__in=ClusterEvent.objects.within(scope, action))


class EventParticipant(DetailPage, models.Model):
    """A school taking part in a cluster's activity, with its students (a school outside the cluster may join)."""

    event = models.ForeignKey(
        ClusterEvent,
        verbose_name=_("student activity"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    school = models.ForeignKey(
        School, verbose_name=_("participating school"), on_delete=models.PROTECT, related_name="joined_events"
    )
    students = models.PositiveIntegerField(_("students taking part"), default=0)

    objects = ThroughEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "school"]
        verbose_name = _("participating school")
        verbose_name_plural = _("participating schools")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "school"],
                name="event_participant_once",
                violation_error_message=_("The school takes part in this activity already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.school}"


class EventPhoto(DetailPage, models.Model):
    event = models.ForeignKey(
        ClusterEvent, verbose_name=_("student activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = image_file("events/%Y/%m/", _("photo"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    objects = ThroughEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.caption or f"{self.event} · {self.pk}"
