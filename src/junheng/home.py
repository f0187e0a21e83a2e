"""The home page: each role's own work first — what is due and overdue, the compliance of what it answers for,
its tasks — then, for the commission and the bureaus, the counts of their city or district."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from junheng.core.choices import Action
from junheng.core.resources import REGISTRY
from junheng.core.scope import scope_for
from junheng.navigation import FLOW_WORKERS, ORGANISATIONS, C, D, E, M, S, T, U, roles_of
from junheng.organisations.models import Cluster, District, School
from junheng.policy.engine import thresholds_of
from junheng.policy.models import FindingStatus
from junheng.policy.reminders import ENDING_WITHIN, reminded, reminders_for, rotations_ending
from junheng.policy.selectors import current_findings, latest_runs
from junheng.policy.views import rule_heading
from junheng.programmes.models import Pairing, PlanReview, PlanStatus
from junheng.sharing.approvals import waiting_for_approval
from junheng.sharing.course_reminders import CLOSING_WITHIN, rounds_closing
from junheng.staffing.models import Teacher

STATUS_ORDER = [status.value for status in FindingStatus]
PROBLEMS = (FindingStatus.FAIL, FindingStatus.AT_RISK)
ENDING_SHOWN = 10  # rotations ending soon listed on the home page; the rotation list has the rest
BOOKINGS_SHOWN = 5  # bookings waiting for the school's approval listed; its approval queue has the rest


def _by_district(queryset: Any, field: str = "district") -> dict[int, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by()}


def district_counts(user: Any) -> list[dict[str, Any]]:
    """One row per visible district: schools, clusters and supported pairings. A fixed number of queries."""
    schools = _by_district(School.objects.restrict(user))
    clusters = _by_district(Cluster.objects.restrict(user))
    pairings = _by_district(Pairing.objects.restrict(user), "supported_school__district")
    return [
        {
            "code": d.code,
            "name": d.name,
            "schools": schools.get(d.pk, 0),
            "clusters": clusters.get(d.pk, 0),
            "pairings": pairings.get(d.pk, 0),
        }
        for d in District.objects.restrict(user)
    ]


def compliance_summary(user: Any) -> dict[str, Any]:
    """The findings that stand as the user may see them (those the pairing pages and reminders read): per rule,
    how many of its subjects stand at each status (the chart), and the subjects that fail or are at risk that the
    reminders do not already list."""
    runs = latest_runs()
    findings = current_findings(user, runs)
    edition_of_run = {run.pk: run.edition for run in runs}
    by_rule: dict[str, Counter[str]] = {}
    edition_of_rule: dict[str, int] = {}
    for row in findings.values("rule", "run", "status").order_by().annotate(n=Count("pk")):
        by_rule.setdefault(row["rule"], Counter())[row["status"]] += row["n"]
        edition_of_rule[row["rule"]] = edition_of_run[row["run"]].pk
    editions = {edition.pk: edition for edition in edition_of_run.values()}
    thresholds = {pk: thresholds_of(edition) for pk, edition in editions.items()}

    def heading(rule: str) -> str:
        return rule_heading(rule, thresholds[edition_of_rule[rule]])

    rules = sorted(by_rule)
    problems = findings.filter(status__in=PROBLEMS).exclude(reminded())
    return {
        "as_of": max((run.as_of for run in runs), default=None),
        "totals": {status: sum(c[status] for c in by_rule.values()) for status in STATUS_ORDER},
        "chart": {
            "rules": [heading(rule) for rule in rules],
            "series": [
                {"status": status, "label": str(label), "data": [by_rule[r][status] for r in rules]}
                for status, label in FindingStatus.choices
            ],
        },
        "worth_a_chart": any(sum(counts.values()) > 1 for counts in by_rule.values()),
        "problems": [(f, heading(f.rule)) for f in problems.order_by("status", "subject_name", "rule")[:12]],
        "problem_count": problems.count(),
    }


def pairings_of(user: Any) -> Any:
    return Pairing.objects.with_parties().restrict(user).order_by("kind", "sequence")


def reviews_of(user: Any) -> list[PlanReview]:
    """An expert's plans, those still to review first."""
    reviews = PlanReview.objects.filter(expert=user).select_related("plan__pairing__supported_school")
    return sorted(reviews, key=lambda r: (bool(r.verdict), r.plan.pairing.sequence))


def may_run(user: Any, held: frozenset[str]) -> bool:
    editing = scope_for(user, Action.CHANGE)
    return bool(held & {M, D} and (editing.everything or editing.districts))


def actions_for(user: Any, held: frozenset[str]) -> list[tuple[Any, str]]:
    """The next steps offered at the top of the page, by what the user may do."""
    editing = scope_for(user, Action.CHANGE)
    actions: list[tuple[Any, str]] = []
    if may_run(user, held):
        actions.append((_("Run a compliance check"), reverse("policy:run_list")))
    if REGISTRY["interactions"].may_add(user):
        actions.append((_("Record an interaction"), reverse("programmes:interaction_add")))
        actions.append((_("Import interactions"), reverse("programmes:import", args=["interactions"])))
    if held & {C, S, D}:
        actions.append((_("Cluster evaluation"), reverse("evaluation:clusters")))
    if M in held and editing.everything:
        actions.append((_("Upload monitoring results"), reverse("evaluation:scoreupload_list")))
    return actions


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        held = roles_of(user)
        context: dict[str, Any] = {
            "held": held,
            "actions": actions_for(user, held),
            "may_run": may_run(user, held),
        }
        if held & ORGANISATIONS:
            context["reminders"] = reminders_for(user, limit=20)
            context["compliance"] = compliance_summary(user)
        if held & (FLOW_WORKERS | {T}):
            ending = rotations_ending(user, timezone.localdate(), limit=ENDING_SHOWN + 1)
            context["ending"] = ending[:ENDING_SHOWN]
            context["ending_more"] = len(ending) > ENDING_SHOWN and bool(held & FLOW_WORKERS)
            context["ending_within"] = ENDING_WITHIN
        if held & {C, S}:  # R-F4: the office closes a round, its member schools enter their students' choices
            context["rounds_closing"] = rounds_closing(user, timezone.localdate(), limit=10)
            context["closing_within"] = CLOSING_WITHIN
        if held & {M, D}:
            rows = district_counts(user)
            context["rows"] = rows
            context["totals"] = {k: sum(r[k] for r in rows) for k in ("schools", "clusters", "pairings")}
        if held & {D, S, U}:
            pairings = pairings_of(user)
            context["pairings"] = pairings[:10]
            context["pairing_count"] = pairings.count()
        if S in held:  # R-F4: the requests only the owner school decides
            waiting = waiting_for_approval(user)
            context["bookings_waiting"] = waiting[:BOOKINGS_SHOWN]
            context["bookings_waiting_count"] = waiting.count()
        if held & {C, S}:
            context["clusters"] = Cluster.objects.restrict(user).select_related("district")[:10]
        if E in held:
            context["reviews"] = reviews_of(user)
            context["under_review"] = PlanStatus.UNDER_REVIEW
        if T in held:
            context["teachers"] = Teacher.objects.filter(user=user.pk).select_related("employer")
        return render(request, "home.html", context)
