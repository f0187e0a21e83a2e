"""Review events: the programme's summary activities and site meetings (R-B7)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import District

from .pairings import ProgrammeRound


class ReviewEventKind(models.TextChoices):
    HALF_YEAR_SUMMARY = "half_year_summary", _("Half-year summary")
    SITE_MEETING = "site_meeting", _("Site meeting")


class ReviewEventQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if action == Action.VIEW:
            own = Q(district__in=scope.districts | scope.home_districts)
            return (
                own if scope.reaches_nothing else own | Q(district__isnull=True)
            )  # city events: every organisation
        return Q(district__in=scope.districts)  # city-level events are the commission's


class ReviewEvent(DetailPage, models.Model):
    """A summary activity or site meeting of the programme, held by a district or the city (S1 二.3)."""

    round = models.ForeignKey(
        ProgrammeRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("empty for a city-level event"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewEventKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ReviewEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return self.title
