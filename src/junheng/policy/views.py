"""Compliance pages: runs (with the trend of their findings), the board of one run, a finding's explanation, and
copying an edition. Findings are shown only where the user's scope reaches."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.choices import Action
from junheng.core.editions import in_force_first
from junheng.core.forms import style_fields
from junheng.core.scope import access_object, scope_for
from junheng.organisations.models import District
from junheng.programmes.choices import PairingKind
from junheng.programmes.models import Pairing

from .engine import compliance_run, thresholds_of
from .models import ComplianceRun, Finding, FindingStatus, PolicyEdition, SubjectType
from .rules import CATALOG
from .services import edition_copy

STATUS_ORDER = [s.value for s in FindingStatus]


class RunForm(forms.Form):
    edition = forms.ModelChoiceField(PolicyEdition.objects.all(), label=gettext_lazy("Policy edition"))
    as_of = forms.DateField(label=gettext_lazy("As of"))
    district = forms.ModelChoiceField(
        District.objects.none(), required=False, label=gettext_lazy("District"), to_field_name="code"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user, Action.CHANGE)
        self.fields["district"].queryset = (  # type: ignore[attr-defined]  # a ModelChoiceField, typed as Field
            District.objects.all() if scope.everything else District.objects.filter(pk__in=scope.districts)
        )
        if not scope.everything:
            self.fields["district"].required = True  # a district bureau checks its own district
        style_fields(self)


def _may_run(user: Any) -> bool:
    """Whether the user may start any run at all (the form then offers only the districts it may check)."""
    scope = scope_for(user, Action.CHANGE)
    return scope.everything or bool(scope.districts)


class RunListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = date.today()
        # The edition most recently in force comes chosen, so that the form can be sent as it is.
        editions = in_force_first(PolicyEdition.objects.all(), today)
        return self._render(
            RunForm(user=request.user, initial={"as_of": today, "edition": editions[0] if editions else None})
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not _may_run(request.user):
            raise PermissionDenied
        form = RunForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(form)
        try:
            run, _findings = compliance_run(
                actor=request.user,
                edition=form.cleaned_data["edition"],
                as_of=form.cleaned_data["as_of"],
                district=form.cleaned_data["district"],
            )
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
            return self._render(form)
        return redirect("policy:run_detail", run.pk)

    def _render(self, form: RunForm) -> HttpResponse:
        runs = list(
            ComplianceRun.objects.restrict(self.request.user).select_related("edition", "district")[:30]
        )
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        visible = Finding.objects.restrict(self.request.user).filter(run__in=runs)
        for row in visible.values("run", "status").order_by().annotate(n=Count("pk")):
            counts[row["run"]][row["status"]] = row["n"]
        trend = [
            {"run": f"{r.edition.code} {r.as_of}", **{s: counts[r.pk][s] for s in STATUS_ORDER}}
            for r in sorted(runs, key=lambda r: (r.as_of, r.created_at))
        ]
        return render(
            self.request,
            "policy/run_list.html",
            {
                "form": form,
                "runs": [(r, [counts[r.pk][s] for s in STATUS_ORDER]) for r in runs],
                "trend": trend,
                "may_run": _may_run(self.request.user),
                "statuses": FindingStatus.choices,
                "status_labels": {code: str(label) for code, label in FindingStatus.choices},
            },
        )


class RunDetailView(LoginRequiredMixin, View):
    """The board: pairings × rules, coloured by status, each cell linking to its finding."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = access_object(ComplianceRun, request.user, pk)
        thresholds = thresholds_of(run.edition)
        findings = Finding.objects.restrict(request.user).filter(run=run)
        district = request.GET.get("district") or ""
        kind = request.GET.get("kind") or ""
        if district and not District.objects.filter(code=district).exists():
            raise BadRequest(
                _("“%(code)s” is not the code of a Shanghai district.") % {"code": district[:20]}
            )
        if kind and kind not in PairingKind.values:
            raise BadRequest(_("Unknown kind of pairing."))
        if district:
            findings = findings.filter(district__code=district)
        pairing_kind = dict(
            Pairing.objects.filter(
                pk__in=findings.filter(subject_type=SubjectType.PAIRING).values("subject_id")
            ).values_list("pk", "kind")
        )
        rows: dict[Any, dict[str, Any]] = {}  # by pairing id
        areas: dict[Any, dict[str, Any]] = {}  # by (kind, id) of district or cluster
        for finding in findings.order_by("subject_name"):
            target = rows if finding.subject_type == SubjectType.PAIRING else areas
            if (
                finding.subject_type == SubjectType.PAIRING
                and kind
                and pairing_kind.get(finding.subject_id) != kind
            ):
                continue
            # Districts and clusters share the second table: their ids may coincide, their kinds may not.
            key = finding.subject_id if target is rows else (finding.subject_type, finding.subject_id)
            row = target.setdefault(key, {"name": finding.subject_name, "cells": {}})
            row["cells"][finding.rule] = finding
        pairing_rules = sorted({r for row in rows.values() for r in row["cells"]})
        area_rules = sorted({r for row in areas.values() for r in row["cells"]})
        share = [{"rule": rule, "pass": _pass_percentage(rows.values(), rule)} for rule in pairing_rules]
        return render(
            request,
            "policy/run_detail.html",
            {
                "run": run,
                "rows": [(pk, row) for pk, row in rows.items()],
                "areas": list(areas.values()),
                "pairing_rules": [(r, rule_heading(r, thresholds)) for r in pairing_rules],
                "area_rules": [(r, rule_heading(r, thresholds)) for r in area_rules],
                "districts": District.objects.restrict(request.user),
                "district": district,
                "kind": kind,
                "share": share,
                "statuses": FindingStatus.choices,
            },
        )


def rule_heading(code: str, thresholds: dict[str, Any]) -> str:
    """The rule's title with its edition's numbers; the code alone for a rule no longer in the catalog."""
    return CATALOG[code].heading(thresholds) if code in CATALOG else code


def _pass_percentage(rows: Any, rule: str) -> float:
    """The share of the board's pairings checked by the rule that pass it, in per cent."""
    statuses = [row["cells"][rule].status for row in rows if rule in row["cells"]]
    return round(100 * statuses.count("pass") / len(statuses), 1) if statuses else 0.0


class FindingDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = access_object(Finding, request.user, pk)
        heading = rule_heading(finding.rule, thresholds_of(finding.run.edition))
        return render(request, "policy/finding_detail.html", {"finding": finding, "heading": heading})


class EditionCopyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("New code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("New name"), max_length=200)


class EditionCopyView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        edition = access_object(PolicyEdition, request.user, pk)
        form = EditionCopyForm(request.POST)
        if not scope_for(request.user, Action.CHANGE).everything:
            raise PermissionDenied
        if form.is_valid():
            try:
                copy = edition_copy(actor=request.user, edition=edition, **form.cleaned_data)
            except ValidationError as invalid:
                messages.error(request, "；".join(invalid.messages))
            else:
                messages.success(request, _("Copied to “%(code)s”.") % {"code": copy.code})
                return redirect(copy.get_absolute_url())
        else:
            messages.error(request, _("Give the copy a code and a name."))
        return redirect(edition.get_absolute_url())
