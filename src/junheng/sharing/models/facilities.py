"""Facility sharing (R-D8): a school's facilities open to the other member schools of its clusters, and their
bookings — requested by the booking school, decided by the owner, never two holding one slot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.constraints import NonOverlapping
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import ClusterMembership, School
from junheng.staffing.models.teachers import schools_in_reach

from ..choices import HOLDING_SLOT, BookingStatus, FacilityKind
from ..hours import check_hours


def cluster_mates(schools: frozenset[int]) -> Q:
    """The schools sharing a cluster with one of `schools` (at any time: who may book on a day is the services'
    question, asked with the memberships of that day)."""
    clusters = ClusterMembership.objects.filter(school__in=schools).values("cluster")
    return Q(pk__in=ClusterMembership.objects.filter(cluster__in=clusters).values("school"))


class FacilityQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the owner and by the owner's cluster mates; changed by the owner and its district."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            return Q(owner__in=School.objects.within(scope, action))
        owners = Q(schools_in_reach(scope, action))
        if scope.schools:
            owners |= cluster_mates(scope.schools)
        return Q(owner__in=School.objects.filter(owners))


class Facility(DetailPage, models.Model):
    owner = models.ForeignKey(
        School, verbose_name=_("owner school"), on_delete=models.PROTECT, related_name="facilities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True, validators=[check_hours])
    extended_hours = models.JSONField(
        _("extended hours"),
        default=dict,
        blank=True,
        validators=[check_hours],
        help_text=_("Opening beyond the regular hours: evenings, weekends, holidays"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = FacilityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["owner", "kind", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="facility_unique_name_per_school",
                violation_error_message=_("The school already has a facility of this name."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="facility_holds_someone",
                violation_error_message=_("A facility holds at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.name}"


class BookingQuerySet(RestrictedQuerySet):
    """Seen by whoever sees the facility (its cluster mates see when it is taken) or the booking school;
    changed by the booking school and the owner (each only through its own steps: see services) and their
    districts."""

    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action != Action.VIEW:
            editable = School.objects.within(scope, action)
            return Q(booking_school__in=editable) | Q(facility__owner__in=editable)
        return Q(facility__in=Facility.objects.within(scope, action)) | Q(
            booking_school__in=School.objects.filter(schools_in_reach(scope, action))
        )

    def holding_slot(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDING_SLOT)


class Booking(DetailPage, models.Model):
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="bookings"
    )
    booking_school = models.ForeignKey(
        School, verbose_name=_("booking school"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    group_size = models.PositiveIntegerField(_("group size"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)
    # The weekly occurrences booked together share it, so that the series is listed and cancelled as one.
    series = models.UUIDField(_("weekly series"), null=True, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = BookingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "facility"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("A booking ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(group_size__gte=1),
                name="booking_group_not_empty",
                violation_error_message=_("A group has at least one person."),
            ),
            NonOverlapping(
                owner="facility",
                start="starts_at",
                end=("ends_at",),
                half_open=True,  # until 10:00 and from 10:00 share no moment
                when={"status": HOLDING_SLOT},
                name="booking_one_at_a_time",
                violation_error_message=_("The facility is already booked at this time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} {self.starts_at:%Y-%m-%d %H:%M}"
