"""The rotation-eligibility page (R-C1) of a school and school year: its eligible teachers on 1 September with the
edition's continuous years, those marked not eligible with the reason, and, for whoever may change the teachers, the
forms that mark one not eligible (with the reason) and lift the mark, saved through the eligibility-exclusions
resource and audited. Only schools the user may see; any other is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.choices import Action
from junheng.core.editions import thresholds_on
from junheng.core.forms import style_fields
from junheng.core.periods import SchoolYear
from junheng.core.resources import REGISTRY
from junheng.core.scope import access_object, can
from junheng.core.services import object_delete
from junheng.core.views import year_parameter
from junheng.organisations.models import School

from .models import EligibilityExclusion, Teacher
from .selectors import Eligibility, eligibility

ELIGIBLE_YEARS_KEY = "R-C1.rotation_eligible_years"


@dataclass(frozen=True)
class Rule:
    """The edition's years on the school year's 1 September, and the edition they come from."""

    years: int
    edition: str


def rule_of(school_year: int) -> Rule:
    threshold = thresholds_on(SchoolYear(school_year).start, [ELIGIBLE_YEARS_KEY])[ELIGIBLE_YEARS_KEY]
    assert threshold.value is not None
    return Rule(int(threshold.value), threshold.edition)


def school_year_asked(request: HttpRequest) -> int:
    return year_parameter(request) or SchoolYear.containing(timezone.localdate()).start_year


def eligibility_url(school: School | int, school_year: int) -> str:
    pk = school if isinstance(school, int) else school.pk
    return f"{reverse('staffing:eligibility_school', args=[pk])}?year={school_year}"


class ExcludeForm(forms.Form):
    teacher = forms.TypedChoiceField(
        label=gettext_lazy("Teacher"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the teacher."),
            "invalid_choice": gettext_lazy(
                "The teacher is not among this school's eligible teachers you may change for this school year."
            ),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        error_messages={"required": gettext_lazy("Say why the teacher is not eligible.")},
    )

    def __init__(self, *args: Any, teachers: list[Teacher], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [  # type: ignore[attr-defined]  # a TypedChoiceField("", "---------")] + [
            (t.pk, f"{t.name}（{t.staff_number}）") for t in teachers
        ]
        style_fields(self)


class EligibilityIndexView(LoginRequiredMixin, View):
    """The schools the user may see, each with its numbers for the school year; a school's own user goes straight
    to its page."""

    per_page = 50

    def get(self, request: HttpRequest) -> HttpResponse:
        year = school_year_asked(request)
        schools = (
            School.objects.restrict(request.user).select_related("district").order_by("district", "name")
        )
        query = request.GET.get("q", "").strip()[:100]
        if query:
            schools = schools.filter(name__contains=query)
        elif len(only := list(schools[:2])) == 1:  # a school's own user: its page, here
            return EligibilityView().render(request, only[0], year)
        page = Paginator(schools, self.per_page).get_page(request.GET.get("page"))
        rule = rule_of(year)
        found = eligibility([s.pk for s in page.object_list], year, rule.years)
        rows = [(school, found[school.pk]) for school in page.object_list]
        return render(
            request,
            "staffing/eligibility_index.html",
            {"rows": rows, "page": page, "year": SchoolYear(year), "rule": rule, "query": query},
        )


class EligibilityView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, school: int) -> HttpResponse:
        found = access_object(School, request.user, school)
        return self.render(request, found, school_year_asked(request))

    def post(self, request: HttpRequest, school: int) -> HttpResponse:
        found = access_object(School, request.user, school)
        year = school_year_asked(request)
        if request.POST.get("action") == "lift":
            return self.lift(request, found, year)
        return self.exclude(request, found, year)

    def exclude(self, request: HttpRequest, school: School, year: int) -> HttpResponse:
        listed = self.listing(request, school, year)
        form = ExcludeForm(request.POST, teachers=listed.changeable)
        if form.is_valid():
            teacher = next(t for t in listed.changeable if t.pk == form.cleaned_data["teacher"])
            exclusion = EligibilityExclusion(
                teacher=teacher, school_year=year, reason=form.cleaned_data["reason"].strip()
            )
            try:
                REGISTRY["eligibility-exclusions"].saved(request.user, exclusion)
            except ValidationError as invalid:
                form.add_error(None, "；".join(invalid.messages))
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("%(teacher)s is marked not eligible for rotation in %(year)s.")
                    % {"teacher": teacher.name, "year": SchoolYear(year)},
                )
                return redirect(eligibility_url(school, year))
        elif not listed.changeable and not listed.may_change_any:
            raise PermissionDenied(_("You may not change this school's teachers."))
        return self.render(request, school, year, form=form, listed=listed)

    def lift(self, request: HttpRequest, school: School, year: int) -> HttpResponse:
        listed = self.listing(request, school, year)
        pk = request.POST.get("exclusion", "")
        exclusion = listed.exclusions.get(int(pk)) if pk.isdigit() else None
        if exclusion is None:
            raise Http404
        if not can(request.user, Action.CHANGE, exclusion):
            raise PermissionDenied(_("You may not change this teacher's eligibility."))
        object_delete(actor=request.user, instance=exclusion, reason=_("Lifted on the eligibility page"))
        messages.success(
            request,
            _("%(teacher)s is eligible for rotation in %(year)s again.")
            % {"teacher": exclusion.teacher.name, "year": SchoolYear(year)},
        )
        return redirect(eligibility_url(school, year))

    def listing(self, request: HttpRequest, school: School, year: int) -> Listing:
        rule = rule_of(year)
        found = eligibility([school.pk], year, rule.years)[school.pk]
        excluded_ids = [t.pk for t, _reason in found.excluded]
        teacher_ids = [t.pk for t in found.teachers] + excluded_ids
        editable = set(
            Teacher.objects.restrict(request.user, Action.CHANGE)
            .filter(pk__in=teacher_ids)
            .values_list("pk", flat=True)
        )
        exclusions = {
            e.pk: e
            for e in EligibilityExclusion.objects.filter(
                school_year=year, teacher__in=excluded_ids
            ).select_related("teacher")
        }
        return Listing(rule, found, editable, exclusions)

    def render(
        self,
        request: HttpRequest,
        school: School,
        year: int,
        form: ExcludeForm | None = None,
        listed: Listing | None = None,
    ) -> HttpResponse:
        listed = listed or self.listing(request, school, year)
        if form is None and listed.changeable:
            form = ExcludeForm(teachers=listed.changeable)
        first_day = SchoolYear(year).start
        lift_of = {e.teacher_id: e for e in listed.exclusions.values()}
        context = {
            "school": school,
            "year": SchoolYear(year),
            "first_day": first_day,
            "rule": listed.rule,
            "eligible": [
                (t, listed.found.employed_since(t), listed.found.continuous_years(t, first_day))
                for t in listed.found.teachers
            ],
            "excluded": [
                (t, reason, lift_of.get(t.pk) if t.pk in listed.editable else None)
                for t, reason in listed.found.excluded
            ],
            "form": form,
            "previous_url": eligibility_url(school, year - 1),
            "next_url": eligibility_url(school, year + 1),
            "history_url": reverse("staffing:eligibilityexclusion_list"),
        }
        return render(request, "staffing/eligibility.html", context)


@dataclass
class Listing:
    rule: Rule
    found: Eligibility
    editable: set[int]  # the listed teachers the user may change
    exclusions: dict[int, EligibilityExclusion]  # the year's exclusions of the listed teachers, by pk

    @property
    def changeable(self) -> list[Teacher]:
        """The eligible teachers the user may mark not eligible."""
        return [t for t in self.found.teachers if t.pk in self.editable]

    @property
    def may_change_any(self) -> bool:
        return bool(self.editable)
