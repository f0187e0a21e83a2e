"""Student and parent satisfaction surveys (R-E4): a district's questionnaire of five-point questions, answered
once per one-time link without logging in, or imported from a sheet; satisfaction per school and cluster."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from junheng.core.models import DetailPage
from junheng.organisations.models import District, School

from .scopes import DistrictOwnedQuerySet, PartQuerySet


class Audience(models.TextChoices):
    STUDENTS = "students", pgettext_lazy("respondents", "Students")
    PARENTS = "parents", pgettext_lazy("respondents", "Parents")


class Answer(models.IntegerChoices):
    """A five-point scale; 4 and 5 count as satisfied."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


SATISFIED_FROM = Answer.SATISFIED


class Survey(DetailPage, models.Model):
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    audience = models.CharField(_("respondents"), max_length=10, choices=Audience.choices)

    objects = DistrictOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "district", "title"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "title"],
                name="survey_unique_title",
                violation_error_message=_("The district already has a survey of this title for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class SurveyPartQuerySet(PartQuerySet):
    parent = "survey"


class SurveyQuestion(DetailPage, models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("satisfaction survey"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SurveyPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "text"],
                name="survey_question_unique_text",
                violation_error_message=_("The survey already has this question."),
            )
        ]

    def __str__(self) -> str:
        return self.text


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyInvitation(models.Model):
    """A link for one respondent of one school: it takes one set of answers, then no more."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])  # who issued it, and when it was used

    class Meta:
        ordering = ["survey", "school", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} · {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("survey_answer", args=[self.token])


class SurveyResponse(models.Model):
    """One respondent's answers (question id as text → 1–5), with the counts that satisfaction is summed from."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    answers = models.JSONField(default=dict)
    answered = models.PositiveSmallIntegerField(default=0, editable=False)
    satisfied = models.PositiveSmallIntegerField(default=0, editable=False)
    score_sum = models.PositiveIntegerField(default=0, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyPartQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "school", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} · {self.school}"

    def clean(self) -> None:
        """Every question answered on the scale; the counts follow. (Errors are the whole response's.)"""
        questions = {str(q.pk): q.text for q in self.survey.questions.all()}
        missing = [text for pk, text in questions.items() if self.answers.get(pk) not in Answer.values]
        if missing:
            raise ValidationError(
                _("Answer every question: %(questions)s.") % {"questions": "、".join(missing)}
            )
        self.answers = {pk: int(self.answers[pk]) for pk in questions}
        self.answered = len(self.answers)
        self.satisfied = sum(1 for a in self.answers.values() if a >= SATISFIED_FROM)
        self.score_sum = sum(self.answers.values())
