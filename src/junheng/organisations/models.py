"""The registry: districts, schools, supporting institutions, clusters with dated memberships, and who belongs where."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import RestrictedQuerySet, Scope, scope_for

from .choices import ClusterKind, InstitutionKind, ModelStatus, Ownership, Role, Stage, Tier


def in_force_on(day: date, start: str = "start_date", end: str = "end_date") -> Q:
    """Rows whose [start, end] period covers the day; an empty end means still in force."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def unique_name_in_district(label: str) -> list[models.UniqueConstraint]:
    """One record of a name per district, and one of a name without a district (a unit the roster places
    nowhere); the database keeps it so."""
    return [
        models.UniqueConstraint(
            fields=["name", "district"],
            name=f"{label}_unique_name_per_district",
            violation_error_message=_("The district already has one of this name."),
        ),
        models.UniqueConstraint(
            fields=["name"],
            condition=Q(district__isnull=True),
            name=f"{label}_unique_name_without_district",
            violation_error_message=_("One of this name already exists without a district."),
        ),
    ]


class DistrictQuerySet(RestrictedQuerySet):
    creators = ()

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action == Action.VIEW:
            return Q(pk__in=scope.districts | scope.home_districts)
        return Q(pk__in=())  # only the municipal commission edits districts

    def offered_to(self, user: Any, current: Any = None) -> RestrictedQuerySet:
        """A record is placed only in a district the user edits for; an editor of a single school keeps its
        district without being able to move it elsewhere."""
        scope = scope_for(user, Action.CHANGE)
        return self if scope.everything else self.filter(Q(pk__in=scope.districts) | Q(pk=current))


class District(DetailPage, models.Model):
    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    short_name = models.CharField(_("short name"), max_length=10, unique=True)

    objects = DistrictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^3101[0-9]{2}$"),
                name="district_code_is_shanghai",
                violation_error_message=_("A district's code is a Shanghai code of GB/T 2260 (3101xx)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DistrictAlias(models.Model):
    """Another name a district is written as: an abbreviation or a historical name (卢湾 → 黄浦)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=20, unique=True)
    historical = models.BooleanField(_("historical district"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district alias")
        verbose_name_plural = _("district aliases")

    def __str__(self) -> str:
        return f"{self.name} → {self.district}"


class SchoolQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        reach = Q(district__in=scope.districts) | Q(pk__in=scope.schools)
        if action == Action.VIEW and scope.clusters:
            reach |= Q(pk__in=ClusterMembership.objects.filter(cluster__in=scope.clusters).values("school"))
        return reach


class School(DetailPage, models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("school code"), max_length=20, unique=True, null=True, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    school_type_code = models.CharField(
        _("school type code"), max_length=3, blank=True, help_text=_("办学类型代码, e.g. 211, 311, 312")
    )
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_new = models.BooleanField(_("newly opened school"), default=False)
    is_rural = models.BooleanField(_("rural school"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            *unique_name_in_district("school"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="school_latitude_in_range",
                violation_error_message=_("The latitude lies between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="school_longitude_in_range",
                violation_error_message=_("The longitude lies between -180 and 180."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYearCountQuerySet(RestrictedQuerySet):
    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(school__in=School.objects.within(scope, action))


class SchoolYearCount(DetailPage, models.Model):
    """Students by stage and teachers of one school in one school year (the year starting 1 September)."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="year_counts"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    primary_students = models.PositiveIntegerField(_("primary students"), default=0)
    junior_students = models.PositiveIntegerField(_("junior secondary students"), default=0)
    senior_students = models.PositiveIntegerField(_("senior secondary students"), default=0)
    teachers = models.PositiveIntegerField(_("teachers"), default=0)

    objects = SchoolYearCountQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-school_year"]
        verbose_name = _("yearly count")
        verbose_name_plural = _("yearly counts")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="school_year_count_unique",
                violation_error_message=_("The school already has counts for this school year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    @property
    def students(self) -> int:
        return self.primary_students + self.junior_students + self.senior_students


class InstitutionQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(district__in=scope.districts) | Q(pk__in=scope.institutions)


class Institution(DetailPage, models.Model):
    """A supporting unit that is not a school: an education society, research institute, consulting centre …"""

    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=InstitutionKind.choices, default=InstitutionKind.OTHER
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            *unique_name_in_district("institution"),
        ]

    def __str__(self) -> str:
        return self.name


class ClusterQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        """A cluster's record (its lead, members, tiers) is the district bureau's to change; its office reads it
        and records the cluster's own work (`whose_work`)."""
        if action != Action.VIEW:
            return Q(district__in=scope.districts)
        reach = Q(district__in=scope.districts) | Q(pk__in=scope.clusters)
        if scope.schools:
            reach |= Q(pk__in=ClusterMembership.objects.filter(school__in=scope.schools).values("cluster"))
        return reach

    def whose_work(self, scope: Scope, action: str = Action.VIEW) -> RestrictedQuerySet:
        """The clusters whose own work — documents, meetings, staffing and rotation plans — the scope reads or
        records: for reading, those it sees; for writing, its district's and the clusters it is the office of."""
        if action == Action.VIEW:
            return self.within(scope, action)
        if scope.everything:
            return self
        return self.filter(Q(district__in=scope.districts) | Q(pk__in=scope.clusters))


class Cluster(DetailPage, models.Model):
    """A school zone (学区) or an education group (集团): a lead school and dated members."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ClusterKind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="clusters"
    )
    lead_school = models.ForeignKey(
        School,
        verbose_name=_("lead school"),
        on_delete=models.PROTECT,
        related_name="led_clusters",
        null=True,
        blank=True,
    )
    close_knit = models.BooleanField(_("close-knit"), default=False)
    model_status = models.CharField(
        _("model status"), max_length=20, choices=ModelStatus.choices, default=ModelStatus.NONE
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    # The creation period of model status starts here (S2 二(一)1: members stay stable while creating).
    creating_since = models.DateField(_("creating model status since"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "district"],
                name="cluster_unique_name_per_district",
                violation_error_message=_("The district already has a cluster of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def members_on(self, day: date) -> models.QuerySet[School]:
        return School.objects.filter(pk__in=self.memberships.filter(in_force_on(day)).values("school"))


class ClusterMembershipQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        """A membership is seen and changed by whoever sees and changes its cluster."""
        return Q(cluster__in=Cluster.objects.within(scope, action))


class ClusterMembership(DetailPage, models.Model):
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ClusterMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "start_date", "school"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "school", "start_date"],
                name="cluster_membership_unique_start",
                violation_error_message=_("The school already joins this cluster on this date."),
            ),
            ends_after_start("cluster_membership_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.school} @ {self.cluster}"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must not be before the start date.")})
        if self.cluster_id and self.school_id and self.start_date:
            overlapping = ClusterMembership.objects.filter(
                cluster=self.cluster_id, school=self.school_id
            ).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            if overlapping.exists():
                raise ValidationError(_("This school is already a member of the cluster in that period."))


class MembershipQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope: Scope, action: str) -> Q:
        """Roles held in the organisations a scope administers: a district's bureau administers the district and
        the schools, institutions and clusters in it; any other organisation administers itself. Asked with
        Action.ADMINISTER, the scope is that of the user's administrator memberships."""
        return (
            Q(district__in=scope.districts)
            | Q(school__district__in=scope.districts)
            | Q(institution__district__in=scope.districts)
            | Q(cluster__district__in=scope.districts)
            | Q(school__in=scope.schools)
            | Q(institution__in=scope.institutions)
            | Q(cluster__in=scope.clusters)
        )


class Membership(models.Model):
    """A user's role in an organisation: the source of every scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    can_edit = models.BooleanField(_("may edit"), default=False)
    is_administrator = models.BooleanField(
        _("administrator"), default=False, help_text=_("grants and revokes roles in the organisation")
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    # Which organisation each role is held in.
    ORGANISATION_OF_ROLE = {
        Role.MUNICIPAL: None,
        Role.DISTRICT_BUREAU: "district",
        Role.CLUSTER_OFFICE: "cluster",
        Role.SCHOOL: "school",
        Role.SUPPORTING_UNIT: ("school", "institution"),
        Role.EXPERT: None,
        Role.TEACHER: "school",
    }

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        district__isnull=True,
                        school__isnull=True,
                        institution__isnull=True,
                        cluster__isnull=True,
                    )
                    | Q(
                        district__isnull=False,
                        school__isnull=True,
                        institution__isnull=True,
                        cluster__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        school__isnull=False,
                        institution__isnull=True,
                        cluster__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        school__isnull=True,
                        institution__isnull=False,
                        cluster__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        school__isnull=True,
                        institution__isnull=True,
                        cluster__isnull=False,
                    )
                ),
                name="membership_at_most_one_organisation",
                violation_error_message=_("A role is held in at most one organisation."),
            ),
            models.CheckConstraint(
                condition=Q(is_administrator=False) | Q(can_edit=True),
                name="membership_administrator_edits",
                violation_error_message=_("An administrator also has the right to edit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation or ''}"

    @property
    def organisation(self) -> models.Model | None:
        return self.district or self.school or self.institution or self.cluster

    def clean(self) -> None:
        expected = self.ORGANISATION_OF_ROLE[Role(self.role)]
        allowed = () if expected is None else (expected if isinstance(expected, tuple) else (expected,))
        given = [
            name for name in ("district", "school", "institution", "cluster") if getattr(self, f"{name}_id")
        ]
        if (given and given[0] not in allowed) or (allowed and not given):
            raise ValidationError(_("This role must be held in a matching organisation."))


# The clusters' governance and the changes of their membership while creating model status (R-A4, R-A6).
from .governance import GovernanceDocument, MembershipChange, WorkMeeting  # noqa: E402

__all__ = [
    "Cluster",
    "ClusterMembership",
    "District",
    "DistrictAlias",
    "GovernanceDocument",
    "Institution",
    "Membership",
    "MembershipChange",
    "School",
    "SchoolYearCount",
    "WorkMeeting",
    "in_force_on",
]

# Accounts are audited like records: a deactivation is a change with who, when, before and after.
register_history(get_user_model(), app="junheng.organisations", excluded_fields=["password", "last_login"])
