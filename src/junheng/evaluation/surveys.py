"""Satisfaction surveys (R-E4): one-time links issued per school, answers taken without logging in, and the
satisfaction of each school and cluster — the share of answers at 满意 or above, and the mean on the 1–5 scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from junheng.core.choices import Action
from junheng.core.scope import can
from junheng.organisations.models import ClusterMembership, School, in_force_on

from .models import Survey, SurveyInvitation, SurveyResponse

MOST_LINKS = 2000  # one batch; a school issues more in several


@transaction.atomic
def invitations_issue(*, actor: Any, survey: Survey, school: School, count: int) -> list[SurveyInvitation]:
    if not can(actor, Action.CHANGE, survey):
        raise PermissionDenied
    if school.district_id != survey.district_id:
        raise ValidationError(_("The school is not in the survey's district."))
    if not 1 <= count <= MOST_LINKS:
        raise ValidationError(_("Issue between 1 and %(most)d links at a time.") % {"most": MOST_LINKS})
    issued: list[SurveyInvitation] = bulk_create_with_history(
        [SurveyInvitation(survey=survey, school=school) for _ in range(count)],
        SurveyInvitation,
        default_user=actor,
        default_change_reason=_("Links issued"),
    )
    return issued


@transaction.atomic
def survey_answer(*, token: str, answers: dict[str, Any]) -> SurveyResponse:
    """Takes one respondent's answers through a link; a link already used takes nothing."""
    # Locks the invitation alone, found without the model's ordering (whose joins PostgreSQL will not lock).
    locked = SurveyInvitation.objects.select_for_update(of=("self",)).select_related("survey")
    invitation = locked.filter(token=token).order_by("pk").first()
    if invitation is None or invitation.used_at is not None:
        raise ValidationError(_("This link has been used already."))
    response = SurveyResponse(
        survey=invitation.survey, school_id=invitation.school_id, invitation=invitation, answers=answers
    )
    response.full_clean()
    response.save()
    invitation.used_at = timezone.now()
    invitation._change_reason = _("Answered")  # type: ignore[attr-defined]  # read by django-simple-history
    invitation.save(update_fields=["used_at"])
    return response


@dataclass(frozen=True)
class Satisfaction:
    name: str
    respondents: int
    satisfied_share: float | None  # answers at 满意 or above, of all answers
    mean: float | None  # on the 1–5 scale

    @classmethod
    def of(cls, name: str, respondents: int, answered: int, satisfied: int, score_sum: int) -> Satisfaction:
        return cls(
            name,
            respondents,
            satisfied / answered if answered else None,
            score_sum / answered if answered else None,
        )


def _sums(responses: Any, by: str) -> dict[Any, dict[str, int]]:
    rows = responses.values(by).annotate(
        respondents=Count("pk"),
        answered=Sum("answered"),
        satisfied=Sum("satisfied"),
        score_sum=Sum("score_sum"),
    )
    return {row.pop(by): row for row in rows}


def satisfaction_by_school(surveys: Any, schools: Any) -> list[Satisfaction]:
    """Each of the given schools that has answers."""
    sums = _sums(SurveyResponse.objects.filter(survey__in=surveys, school__in=schools), "school")
    names = dict(School.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    return sorted((Satisfaction.of(names[pk], **row) for pk, row in sums.items()), key=lambda s: s.name)


def satisfaction_by_cluster(surveys: Any, day: date, clusters: Any) -> list[Satisfaction]:
    """Each of the given clusters with answers, its member schools (on `day`) pooled: every answer counts once."""
    by_school = _sums(SurveyResponse.objects.filter(survey__in=surveys), "school")
    pooled: dict[str, dict[str, int]] = {}
    members = ClusterMembership.objects.filter(
        in_force_on(day), school__in=list(by_school), cluster__in=clusters
    )
    for membership in members.select_related("cluster"):
        total = pooled.setdefault(
            membership.cluster.name, {"respondents": 0, "answered": 0, "satisfied": 0, "score_sum": 0}
        )
        for key, value in by_school[membership.school_id].items():
            total[key] += value
    return sorted((Satisfaction.of(name, **row) for name, row in pooled.items()), key=lambda s: s.name)
