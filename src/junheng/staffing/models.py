"""Teachers. A teacher's employer (编制) is one fact; where the teacher works on a date is another (rotations)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import School

from .choices import BackboneTier


class TeacherQuerySet(RestrictedQuerySet):
    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        reach = Q(employer__in=School.objects.within(scope, action))
        if scope.user_id:
            reach |= Q(user=scope.user_id)
        return reach


class Teacher(models.Model):
    name = models.CharField(_("name"), max_length=50)
    staff_number = models.CharField(_("staff number"), max_length=30, unique=True)
    employer = models.ForeignKey(
        School, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="employed_teachers"
    )
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    backbone_tier = models.CharField(
        _("backbone tier"), max_length=20, choices=BackboneTier.choices, blank=True, default=BackboneTier.NONE
    )
    is_manager = models.BooleanField(_("school leader or middle manager"), default=False)
    employed_since = models.DateField(_("at this school since"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="teacher"
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = TeacherQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["employer", "name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name
