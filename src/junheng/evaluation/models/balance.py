"""What a school has (the seven resource indicators of the national 2017 method for high-quality balance, R-E2)
and how its students fare on Shanghai's green indicators (绿色指标, R-B16), one record per school and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from junheng.core.models import DetailPage
from junheng.organisations.choices import Stage
from junheng.organisations.models import School, SchoolYearCount

from .scopes import BySchoolQuerySet


class ResourceIndicator(models.TextChoices):
    """The seven indicators; each value is also the name of the quantity recorded for it."""

    QUALIFIED_TEACHERS = "qualified_teachers", _("teachers above the required qualification per 100 students")
    BACKBONE_TEACHERS = "backbone_teachers", _("district-level or higher backbone teachers per 100 students")
    ARTS_PE_TEACHERS = "arts_pe_teachers", _("PE and arts teachers per 100 students")
    TEACHING_AREA = "teaching_area", _("teaching and auxiliary floor area per student (m²)")
    SPORTS_AREA = "sports_area", _("sports ground area per student (m²)")
    EQUIPMENT_VALUE = "equipment_value", _("teaching equipment value per student (yuan)")
    MULTIMEDIA_CLASSROOMS = "multimedia_classrooms", _("networked multimedia classrooms per 100 students")


# Counts are per hundred students; areas and money per student (the method's wording).
PER_HUNDRED = {
    ResourceIndicator.QUALIFIED_TEACHERS,
    ResourceIndicator.BACKBONE_TEACHERS,
    ResourceIndicator.ARTS_PE_TEACHERS,
    ResourceIndicator.MULTIMEDIA_CLASSROOMS,
}
RESOURCE_STAGES = [(Stage.PRIMARY.value, Stage.PRIMARY.label), (Stage.JUNIOR.value, Stage.JUNIOR.label)]
RESOURCE_STAGES_VALUES = {Stage.PRIMARY.value, Stage.JUNIOR.value}


class ResourceRecord(DetailPage, models.Model):
    """The quantities behind the seven indicators for one stage of one school in one school year; a nine-year
    school records its primary and junior parts apart, as the method evaluates them apart."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="resource_records"
    )
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"))
    stage = models.CharField(_("stage"), max_length=20, choices=RESOURCE_STAGES)
    students = models.PositiveIntegerField(
        _("students"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is taken from the school's yearly count of this stage."),
    )
    qualified_teachers = models.PositiveIntegerField(_("teachers above the required qualification"))
    backbone_teachers = models.PositiveIntegerField(_("district-level or higher backbone teachers"))
    arts_pe_teachers = models.PositiveIntegerField(_("PE and arts teachers"))
    teaching_area = models.DecimalField(
        _("teaching and auxiliary floor area (m²)"), max_digits=10, decimal_places=2
    )
    sports_area = models.DecimalField(_("sports ground area (m²)"), max_digits=10, decimal_places=2)
    equipment_value = models.DecimalField(
        _("teaching equipment value (yuan)"), max_digits=14, decimal_places=2
    )
    multimedia_classrooms = models.PositiveIntegerField(_("networked multimedia classrooms"))

    objects = BySchoolQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year", "school", "stage"]
        verbose_name = _("school resources")
        verbose_name_plural = _("school resources")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "stage"],
                name="resource_record_unique",
                violation_error_message=_("The school already has a record for this school year and stage."),
            ),
            models.CheckConstraint(
                condition=Q(teaching_area__gte=0) & Q(sports_area__gte=0) & Q(equipment_value__gte=0),
                name="resource_record_not_negative",
                violation_error_message=_("Areas and values cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year} {self.get_stage_display()}"

    def clean(self) -> None:
        """The students are counted once (R-E5): an empty count is taken from the school's yearly count."""
        if self.school_id and self.school.stage in RESOURCE_STAGES_VALUES and self.stage != self.school.stage:
            raise ValidationError(
                {
                    "stage": _("The school teaches only the stage %(stage)s.")
                    % {"stage": self.school.get_stage_display()}
                }
            )
        if self.students is None and self.school_id and self.school_year:
            count = SchoolYearCount.objects.filter(
                school=self.school_id, school_year=self.school_year
            ).first()
            taken = None if count is None else getattr(count, f"{self.stage}_students", None)
            if not taken:
                raise ValidationError(
                    {
                        "students": _(
                            "Give the number of students: the school has no yearly count of this stage for "
                            "%(year)d."
                        )
                        % {"year": self.school_year}
                    }
                )
            self.students = taken
        if self.students == 0:
            raise ValidationError({"students": _("A stage without students has no resources per student.")})

    @classmethod
    def quantity_labels(cls) -> list[str]:
        """The recorded quantities' names, in the indicators' order."""
        return [str(cls._meta.get_field(name).verbose_name) for name in ResourceIndicator.values]

    def indicator(self, name: str) -> float:
        """One of the seven indicators: the quantity per hundred students or per student."""
        quantity = Decimal(getattr(self, name))
        per = 100 if name in PER_HUNDRED else 1
        return float(quantity * per / Decimal(self.students or 0))


class GreenIndex(models.TextChoices):
    """The ten indices of Shanghai's green indicators of academic quality; each value names a field below."""

    ACHIEVEMENT = "achievement", _("academic achievement index")
    MOTIVATION = "motivation", _("learning motivation index")
    BURDEN = "burden", _("academic burden index")
    TEACHER_STUDENT = "teacher_student", _("teacher–student relationship index")
    TEACHING_METHODS = "teaching_methods", _("teaching methods index")
    CURRICULUM_LEADERSHIP = "curriculum_leadership", _("principal's curriculum leadership index")
    BACKGROUND_EFFECT = "background_effect", _("index of the effect of family background on achievement")
    CONDUCT = "conduct", _("moral conduct index")
    HEALTH = "health", _("physical and mental health index")
    PROGRESS = "progress", _("progress across years index")


def _index(name: GreenIndex) -> models.DecimalField[Any, Any]:
    """An index as the report gives it, on the 1–9 scale; empty when the report leaves it out."""
    return models.DecimalField(
        name.label,
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(9))],
    )


class GreenIndicatorRecord(DetailPage, models.Model):
    """A school's ten green-indicator indices of one year's assessment."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="green_indicators"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    achievement = _index(GreenIndex.ACHIEVEMENT)
    motivation = _index(GreenIndex.MOTIVATION)
    burden = _index(GreenIndex.BURDEN)
    teacher_student = _index(GreenIndex.TEACHER_STUDENT)
    teaching_methods = _index(GreenIndex.TEACHING_METHODS)
    curriculum_leadership = _index(GreenIndex.CURRICULUM_LEADERSHIP)
    background_effect = _index(GreenIndex.BACKGROUND_EFFECT)
    conduct = _index(GreenIndex.CONDUCT)
    health = _index(GreenIndex.HEALTH)
    progress = _index(GreenIndex.PROGRESS)

    objects = BySchoolQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "school"]
        verbose_name = _("green indicators")
        verbose_name_plural = _("green indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"],
                name="green_indicator_record_unique",
                violation_error_message=_("The school already has green indicators for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"
