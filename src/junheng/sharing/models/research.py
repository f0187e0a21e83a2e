"""Joint teaching research (R-D5), the guidance team and its supervisory visits (R-D6), and new teachers'
probation (R-D7): S2 二(三)2, 健全一体化教学研训.

Who sees and changes what: everyone who sees a cluster sees its activities; the cluster's office and district
change them, and a member school changes those it organised. Visits diagnose one school: the cluster's office and
district see and change them, the visited school sees its own (and marks their follow-up actions done)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.imports import EVIDENCE_SUFFIXES, file_size_within_limit
from junheng.core.models import DetailPage, ends_after_start
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on
from junheng.staffing.models import Teacher

from ..research_choices import ActionStatus, GuidanceRole, ResearchKind, split_subjects


def member_on(cluster_id: int, school_id: int, day: date) -> bool:
    return ClusterMembership.objects.filter(in_force_on(day), cluster=cluster_id, school=school_id).exists()


class OfClusterQuerySet(RestrictedQuerySet):
    """A cluster's own records: seen by whoever sees the cluster, changed by its office and its district."""

    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(cluster__in=Cluster.objects.whose_work(scope, action))


class ClusterResearchSetting(DetailPage, models.Model):
    """What a cluster's research is judged on: the subjects it teaches (R-D5; empty: the subjects of its schools'
    stages) and its teacher-development school, where new teachers may do their probation besides the lead school
    (R-D7)."""

    cluster = models.OneToOneField(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="research_setting"
    )
    subjects = models.CharField(
        _("subjects taught"),
        max_length=300,
        blank=True,
        help_text=_("Separated by 、; leave empty for the subjects of the member schools' stages."),
    )
    teacher_development_school = models.ForeignKey(
        School,
        verbose_name=_("teacher-development school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = OfClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster"]
        verbose_name = _("cluster research setting")
        verbose_name_plural = _("cluster research settings")

    def __str__(self) -> str:
        return str(self.cluster)

    @property
    def subject_list(self) -> list[str]:
        return split_subjects(self.subjects)


class ResearchActivityQuerySet(RestrictedQuerySet):
    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        reach = Q(cluster__in=Cluster.objects.whose_work(scope, action))
        if action != Action.VIEW:  # a member school changes what it organised
            reach |= Q(organiser__in=School.objects.within(scope, action))
        return reach


class ResearchActivity(DetailPage, models.Model):
    """One activity of joint teaching research or joint work in a cluster, organised by a member school or by the
    cluster's office (no organiser)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="research_activities"
    )
    organiser = models.ForeignKey(
        School,
        verbose_name=_("organising school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_research",
        help_text=_("Empty when the cluster's office organised it."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ResearchKind.choices)
    subjects = models.CharField(
        _("subjects"), max_length=100, help_text=_("One or more, separated by 、 (数学、科学).")
    )
    theme = models.CharField(_("theme"), max_length=200)
    date = models.DateField(_("date"))
    participants = models.PositiveSmallIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ResearchActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-date", "theme"]
        verbose_name = _("joint research activity")
        verbose_name_plural = _("joint research activities")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "date", "theme"],
                name="research_activity_unique_theme_per_day",
                violation_error_message=_("The cluster already has an activity of this theme on this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.theme}"

    @property
    def subject_list(self) -> list[str]:
        return split_subjects(self.subjects)

    def clean(self) -> None:
        if self.subjects is not None and not self.subject_list:
            raise ValidationError({"subjects": _("Name at least one subject.")})
        if self.subjects:
            self.subjects = "、".join(self.subject_list)
        organiser = self.organiser_id
        if (
            self.cluster_id
            and organiser
            and self.date
            and not member_on(self.cluster_id, organiser, self.date)
        ):
            raise ValidationError(
                {"organiser": _("The organising school is not a member of the cluster on that day.")}
            )


class ByActivityQuerySet(RestrictedQuerySet):
    """An activity's parts, seen and changed with the activity."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(activity__in=ResearchActivity.objects.within(scope, action))


class ResearchParticipant(DetailPage, models.Model):
    """A school taking part in an activity, and one of its teachers (from the register, or by name)."""

    activity = models.ForeignKey(
        ResearchActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="taking_part"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(
        _("teacher's name"), max_length=50, blank=True, help_text=_("For a teacher not in the register.")
    )

    objects = ByActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "school", "person_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("schools and teachers taking part")

    def __str__(self) -> str:
        who = self.teacher.name if self.teacher_id and self.teacher else self.person_name
        return f"{self.school} {who}".strip()

    def clean(self) -> None:
        if self.teacher_id and not self.person_name:
            self.person_name = self.teacher.name if self.teacher else ""
        if self.activity_id and self.school_id:
            activity = self.activity
            if not member_on(activity.cluster_id, self.school_id, activity.date):
                raise ValidationError({"school": _("The school is not a member of the cluster on that day.")})


class ResearchEvidence(DetailPage, models.Model):
    """A file showing an activity took place: minutes, a lesson plan, photographs."""

    activity = models.ForeignKey(
        ResearchActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(
        _("file"),
        upload_to="evidence/research/%Y/%m/",
        validators=[FileExtensionValidator(EVIDENCE_SUFFIXES), file_size_within_limit],
    )

    objects = ByActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "title"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.title


class GuidanceTeamMember(DetailPage, models.Model):
    """A member of the cluster's guidance team (教育教学指导专业团队): an expert or a teacher, by name and unit."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="guidance_team"
    )
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=100)
    role = models.CharField(_("role"), max_length=10, choices=GuidanceRole.choices)
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = OfClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "name"]
        verbose_name = _("guidance team member")
        verbose_name_plural = _("guidance team members")
        constraints = [ends_after_start("guidance_member_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class VisitQuerySet(RestrictedQuerySet):
    creators = ("districts", "clusters")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        offices = Q(cluster__district__in=scope.districts) | Q(cluster__in=scope.clusters)
        if action == Action.VIEW:  # the visited school reads its own diagnosis, not its neighbours'
            return offices | Q(school__in=scope.schools)
        return offices


class SupervisoryVisit(DetailPage, models.Model):
    """A supervisory visit (视导) of the guidance team to a member school: what it found and its diagnosis."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="supervisory_visits"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school visited"), on_delete=models.PROTECT, related_name="supervisory_visits"
    )
    date = models.DateField(_("date"))
    visitors = models.CharField(_("visitors"), max_length=200, blank=True)
    findings = models.TextField(_("findings"))
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-date", "school"]
        verbose_name = _("supervisory visit")
        verbose_name_plural = _("supervisory visits")

    def __str__(self) -> str:
        return f"{self.school} {self.date}"

    def clean(self) -> None:
        known = self.cluster_id and self.school_id and self.date
        if known and not member_on(self.cluster_id, self.school_id, self.date):
            raise ValidationError({"school": _("The school is not a member of the cluster on that day.")})


class FollowUpQuerySet(RestrictedQuerySet):
    """Seen with the visit; changed by those who change the visit and by the visited school, which does them."""

    creators = ("districts", "clusters", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        reach = Q(visit__in=SupervisoryVisit.objects.within(scope, action))
        if action != Action.VIEW:
            reach |= Q(visit__school__in=scope.schools)
        return reach


class FollowUpAction(DetailPage, models.Model):
    visit = models.ForeignKey(
        SupervisoryVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    action = models.CharField(_("action"), max_length=200)
    responsible = models.CharField(_("responsible"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "due_date"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, done_on__isnull=True)
                | Q(status=ActionStatus.DONE, done_on__isnull=False),
                name="follow_up_done_with_date",
                violation_error_message=_("A done action has the day it was done; an open one has none."),
            ),
        ]

    def __str__(self) -> str:
        return self.action

    def clean(self) -> None:
        if self.status == ActionStatus.DONE and self.done_on is None:
            raise ValidationError({"done_on": _("Give the day the action was done.")})
        if self.status == ActionStatus.OPEN and self.done_on is not None:
            raise ValidationError({"status": _("An action with the day it was done is done.")})

    def is_overdue(self, day: date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < day


class NewTeacherProbation(DetailPage, models.Model):
    """A new teacher's probation (见习) for the cluster: at which school, from when to when. The teacher is the
    register's where there is a record, else named with a staff number."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="probations"
    )
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=30, blank=True)
    probation_school = models.ForeignKey(
        School, verbose_name=_("probation school"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = OfClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-start_date", "name"]
        verbose_name = _("new teacher's probation")
        verbose_name_plural = _("new teachers' probation")
        constraints = [
            ends_after_start("probation_ends_after_start"),
            models.UniqueConstraint(
                fields=["cluster", "staff_number", "start_date"],
                condition=~Q(staff_number=""),
                name="probation_unique_start",
                violation_error_message=_("This teacher's probation from this day is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_number}）" if self.staff_number else self.name

    def clean(self) -> None:
        if self.teacher_id and self.teacher:  # the register's name and number
            self.name, self.staff_number = self.teacher.name, self.teacher.staff_number
        if not self.name:
            raise ValidationError({"name": _("Choose the teacher or give the name.")})
