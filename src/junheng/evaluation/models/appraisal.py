"""Principals' annual appraisal (R-E1): a district's form of weighted items, some of them the cluster's work, and
each principal's scores on it. The cluster part must weigh at least the edition's share (50% in S2)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.choices import Action
from junheng.core.models import DetailPage
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import District, School

from .scopes import DistrictOwnedQuerySet, PartQuerySet

SCORE_MAX = Decimal(100)


class AppraisalForm(DetailPage, models.Model):
    """The form a district appraises its member schools' principals with in one year."""

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)

    objects = DistrictOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "district", "name"]
        verbose_name = _("appraisal form")
        verbose_name_plural = _("appraisal forms")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "name"],
                name="appraisal_form_unique",
                violation_error_message=_(
                    "The district already has an appraisal form of this name for this year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def cluster_share(self) -> Decimal | None:
        """The cluster items' part of the form's whole weight; None while the form has no items."""
        weights = [(item.weight, item.cluster_work) for item in self.items.all()]
        total = sum((w for w, _cluster in weights), Decimal(0))
        if not total:
            return None
        return sum((w for w, cluster in weights if cluster), Decimal(0)) / total


def weighted_scores(items: list[tuple[Decimal, bool, Decimal]]) -> tuple[Decimal, Decimal]:
    """(weight, cluster work, score) of each item → the total, Σ w·s / Σ w, and the cluster items' part of it,
    Σ_cluster w·s / Σ w, both to two decimals."""
    weight = sum((w for w, _cluster, _s in items), Decimal(0))
    total = sum((w * s for w, _cluster, s in items), Decimal(0)) / weight
    cluster = sum((w * s for w, in_cluster, s in items if in_cluster), Decimal(0)) / weight
    return total.quantize(Decimal("0.01")), cluster.quantize(Decimal("0.01"))


class AppraisalItemQuerySet(PartQuerySet):
    parent = "form"


class AppraisalItem(DetailPage, models.Model):
    form = models.ForeignKey(
        AppraisalForm, verbose_name=_("appraisal form"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("item"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    cluster_work = models.BooleanField(
        _("cluster work"), default=False, help_text=_("The item appraises the school's part in its cluster.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AppraisalItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "order", "pk"]
        verbose_name = _("appraisal item")
        verbose_name_plural = _("appraisal items")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "name"],
                name="appraisal_item_unique_name",
                violation_error_message=_("The form already has an item of this name."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="appraisal_item_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PrincipalAppraisalQuerySet(RestrictedQuerySet):
    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        if (
            action == Action.VIEW
        ):  # the school sees its principal's appraisal; the bureau all of its district's
            return Q(school__in=School.objects.within(scope, action)) | Q(form__district__in=scope.districts)
        return Q(form__district__in=scope.districts)


class PrincipalAppraisal(DetailPage, models.Model):
    """One principal's appraisal of one year: a score of 0–100 on each item of the form, summed by weight."""

    form = models.ForeignKey(
        AppraisalForm, verbose_name=_("appraisal form"), on_delete=models.PROTECT, related_name="appraisals"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    principal_name = models.CharField(_("principal"), max_length=50)
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # item id (text) → score
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, editable=False, default=0)
    cluster_part = models.DecimalField(
        _("points from cluster work"), max_digits=5, decimal_places=2, editable=False, default=0
    )

    objects = PrincipalAppraisalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-form__year", "school"]
        verbose_name = _("principal appraisal")
        verbose_name_plural = _("principal appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "school"],
                name="principal_appraisal_unique_school",
                violation_error_message=_("The form already holds an appraisal of this school."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal_name}（{self.school}）"

    def clean(self) -> None:
        """Every item of the form scored 0–100; the total and the cluster's part follow from the weights. (The
        scores are not a field of the page's form, so their errors are the whole record's.)"""
        if not self.form_id or not self.school_id:
            return
        if self.school.district_id != self.form.district_id:
            raise ValidationError({"school": _("The school is not in the form's district.")})
        items = list(self.form.items.all())
        if not items:
            raise ValidationError({"form": _("The form has no items yet.")})
        missing = [i.name for i in items if str(i.pk) not in self.scores]
        if missing:
            raise ValidationError(_("No score for: %(items)s.") % {"items": "、".join(missing)})
        scores = {i.pk: Decimal(str(self.scores[str(i.pk)])) for i in items}
        wrong = [i.name for i in items if not Decimal(0) <= scores[i.pk] <= SCORE_MAX]
        if wrong:
            raise ValidationError(_("Scores lie between 0 and 100: %(items)s.") % {"items": "、".join(wrong)})
        self.scores = {str(i.pk): float(scores[i.pk]) for i in items}  # items since removed are dropped
        self.total, self.cluster_part = weighted_scores(
            [(i.weight, i.cluster_work, scores[i.pk]) for i in items]
        )
