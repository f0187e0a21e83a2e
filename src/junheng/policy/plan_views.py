"""The rotation planner's pages (issue 15): a cluster's planning page for a school year (its needs, its
eligible teachers and its plans), a plan with its progress, table, chart and changes by hand, the comparison of
plans side by side, and the plan's downloads. Every page goes through the organisation scope: a cluster or plan
outside it is a 404; planning, changing and applying need the right to plan the cluster."""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.choices import Action
from junheng.core.exports import CONTENT_TYPES, as_attachment, write_workbook
from junheng.core.periods import SchoolYear
from junheng.core.resources import REGISTRY
from junheng.core.scope import access_object, can, scope_for
from junheng.core.views import year_parameter
from junheng.organisations.choices import Tier
from junheng.organisations.models import Cluster

from .models import PlanMethod, PlannedStage, PlanStatus, RotationNeed, RotationPlan
from .planner import PlanResult
from .planner.command import workbook_sheets
from .planner.problem import STAGES
from .planning import (
    PlanRefused,
    apply_plan,
    changed_plan,
    inputs_archive,
    may_plan,
    plan_inputs,
    plan_summary,
    request_plan,
)

COMPARED_AT_MOST = 4


def stated_years(cluster: Cluster) -> set[int]:
    """The school years the cluster's weaker schools have stated needs for."""
    return set(
        RotationNeed.objects.filter(school__cluster_memberships__cluster=cluster).values_list(
            "school_year", flat=True
        )
    )


def planning_years(stated: set[int]) -> list[int]:
    """The school years a cluster's plan is made for, latest first: the coming one, the one under way, and those
    its weaker schools have stated needs for."""
    current = SchoolYear.containing(timezone.localdate()).start_year
    return sorted({current + 1, current, *stated}, reverse=True)


def planning_url(cluster: Cluster | int, school_year: int) -> str:
    pk = cluster if isinstance(cluster, int) else cluster.pk
    return f"{reverse('policy:rotation_planning', args=[pk])}?school_year={school_year}"


def _share(text: str) -> Decimal | None:
    """The what-if's most a school may send, as typed: 25 or 25% or 0.25; empty is the quota share."""
    text = text.strip().rstrip("%")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadRequest(_("Write the share as a percentage, such as 25.")) from None
    value = value / 100 if value > 1 else value
    if not 0 < value <= 1:
        raise BadRequest(_("Write the share as a percentage, such as 25."))
    return value


class RotationPlanListView(LoginRequiredMixin, View):
    """The plans the user may see, newest first, and the clusters it may plan."""

    def get(self, request: HttpRequest) -> HttpResponse:
        plans = RotationPlan.objects.restrict(request.user).select_related("cluster", "created_by")[:200]
        clusters = (
            Cluster.objects.whose_work(scope_for(request.user, Action.CHANGE), Action.CHANGE)
            .select_related("district")
            .order_by("district__code", "name")
        )
        return render(
            request,
            "policy/rotation_plans.html",
            {"plans": plans, "clusters": clusters},
        )


class RotationPlanningView(LoginRequiredMixin, View):
    """A cluster's planning page for a school year; its form asks for a plan (queued for the worker)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cluster = access_object(Cluster, request.user, pk)
        year = self.year(request, cluster)
        try:
            inputs, refusal = plan_inputs(cluster, year), ""
        except PlanRefused as refused:
            inputs, refusal = None, str(refused)
        needs = (
            RotationNeed.objects.restrict(request.user)
            .filter(school__cluster_memberships__cluster=cluster, school_year=year)
            .select_related("school")
            .distinct()
            .order_by("school__name", "stage", "subject")
        )
        plans = RotationPlan.objects.restrict(request.user).filter(cluster=cluster, school_year=year)
        need_resource = REGISTRY["rotation-needs"]
        return render(
            request,
            "policy/rotation_planning.html",
            {
                "cluster": cluster,
                "year": year,
                "years": planning_years(stated_years(cluster)),
                "inputs": inputs,
                "quality": _quality_rows(inputs) if inputs else [],
                "refusal": refusal,
                "needs": needs,
                "plans": plans[:50],
                "may_plan": may_plan(request.user, cluster),
                "may_add_need": need_resource.may_add(request.user),
                "methods": PlanMethod.choices,
                "stages": PlannedStage.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cluster = access_object(Cluster, request.user, pk)
        year = self.year(request, cluster)
        method = request.POST.get("method", PlanMethod.OPTIMAL)
        if method not in PlanMethod.values:
            raise BadRequest(_("Choose a method the planner offers."))
        try:
            plan_record = request_plan(
                actor=request.user,
                cluster=cluster,
                school_year=year,
                method=method,
                max_share=_share(request.POST.get("max_share", "")),
                teams=request.POST.get("teams") == "on",
                label=request.POST.get("label", "").strip(),
            )
        except PlanRefused as refused:
            messages.error(request, str(refused))
            return redirect(planning_url(cluster, year))
        return redirect(plan_record)

    @staticmethod
    def year(request: HttpRequest, cluster: Cluster) -> int:
        """The year asked for; by default the latest with needs stated, else the coming one."""
        stated = stated_years(cluster)
        offered = planning_years(stated)
        year = year_parameter(request, "school_year") or max(stated or {offered[0]})
        if year not in offered:
            raise BadRequest(
                _("Plans are made for the school years %(years)s.")
                % {"years": "、".join(f"{y}-{y + 1}" for y in offered)}
            )
        return year


def _quality_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Per quality school, its eligible teachers free to go, and those away in another rotation."""
    rows = []
    for school in inputs["schools"]:
        if school["tier"] != Tier.QUALITY:
            continue
        code = school["school_code"]
        rows.append(
            {
                "name": school["name"],
                "eligible": sum(1 for t in inputs["teachers"] if t["school_code"] == code),
                "backbone": sum(1 for t in inputs["teachers"] if t["school_code"] == code and t["backbone"]),
                "away": sum(1 for t in inputs["away"] if t["school_code"] == code),
            }
        )
    return rows


class RotationPlanView(LoginRequiredMixin, View):
    """A plan: while it waits or runs, the page asks for its progress every two seconds (HTMX, only the part that
    changes); once planned, its table, chart and the changes by hand."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan_record = access_object(RotationPlan, request.user, pk)
        polled = bool(request.headers.get("HX-Request"))
        if polled and not plan_record.is_pending:  # finished: the whole page again, with its chart
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        may_change = can(request.user, Action.CHANGE, plan_record)
        summary = plan_summary(plan_record)
        context = {
            "plan": plan_record,
            "cluster": plan_record.cluster,
            "summary": summary,
            "may_change": may_change,
            "may_apply": may_change
            and plan_record.status == PlanStatus.DONE
            and plan_record.applied_at is None,
            "planning_url": planning_url(plan_record.cluster_id, plan_record.school_year),
            "chart": _chart(summary),
        }
        if polled:
            return render(request, "policy/_rotation_plan_body.html", context)
        return render(request, "policy/rotation_plan.html", context)


def _chart(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "schools": [row["name"] for row in summary["schools"]],
        "sent": [row["sent"] for row in summary["schools"]],
        "required": [row["required"] for row in summary["schools"]],
        "labels": {"sent": _("Sent by the plan"), "required": _("To send (quota)")},
        "title": _("Sent against the quota, per quality school"),
    }


class RotationPlanChangeView(LoginRequiredMixin, View):
    """Pins, forbids or releases a teacher–school pair, or asks what-if: each a new plan from the same inputs,
    beside this one, so that the two can be compared."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan_record = access_object(RotationPlan, request.user, pk, Action.CHANGE)
        action = request.POST.get("action", "")
        pair = (request.POST.get("teacher", ""), request.POST.get("school", ""))
        if action in ("pin", "forbid", "release"):
            if not all(pair):
                raise BadRequest(_("Name the teacher and the school."))
            change: dict[str, Any] = {action: pair}
            changed = changed_plan(actor=request.user, plan_record=plan_record, **change)
        elif action == "what_if":
            changed = changed_plan(actor=request.user, plan_record=plan_record, what_if=self.what_if(request))
        else:
            raise BadRequest(_("Choose a change the planner offers."))
        return redirect(changed)

    @staticmethod
    def what_if(request: HttpRequest) -> dict[str, Any]:
        what: dict[str, Any] = {"max_share": _share(request.POST.get("max_share", ""))}
        what["teams"] = request.POST.get("teams") == "on"
        school, subject = request.POST.get("need_school", ""), request.POST.get("need_subject", "").strip()
        stage, more = request.POST.get("need_stage", ""), request.POST.get("need_more", "").strip()
        if more:
            if not (school and subject and stage in STAGES) or not more.isdigit():
                raise BadRequest(
                    _("To add need, give the school, the subject, the stage and a whole number.")
                )
            what["needs"] = [[school, subject, stage, int(more)]]
        return what


class RotationPlanApplyView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan_record = access_object(RotationPlan, request.user, pk, Action.CHANGE)
        try:
            made = apply_plan(actor=request.user, plan_record=plan_record)
        except PlanRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _(
                    "%(count)d rotations were proposed; the sending schools and the cluster office take them on."
                )
                % {"count": len(made)},
            )
        return redirect(plan_record)


class RotationPlanDownloadView(LoginRequiredMixin, View):
    """The plan as the command prints it (JSON), as the command's workbook, and its inputs as the three files
    the command reads."""

    def get(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        plan_record = access_object(RotationPlan, request.user, pk)
        stem = f"轮岗规划-{plan_record.cluster.name}-{plan_record.school_year}-{plan_record.pk}"
        if name == "inputs.zip":
            response = HttpResponse(inputs_archive(plan_record), content_type="application/zip")
            as_attachment(response, f"{stem}-输入.zip", f"rotation-plan-{plan_record.pk}-inputs.zip")
            return response
        if plan_record.result is None:
            raise BadRequest(_("The plan is not finished."))
        if name == "plan.json":
            response = HttpResponse(
                json.dumps(plan_record.result, ensure_ascii=False), content_type="application/json"
            )
            as_attachment(response, f"{stem}.json", f"rotation-plan-{plan_record.pk}.json")
            return response
        if name == "plan.xlsx":
            result = PlanResult.from_dict(plan_record.result)
            stream = io.BytesIO()
            write_workbook(workbook_sheets(result), stream)
            response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["xlsx"])
            as_attachment(response, f"{stem}.xlsx", f"rotation-plan-{plan_record.pk}.xlsx")
            return response
        raise BadRequest(_("No such download."))


class RotationPlanCompareView(LoginRequiredMixin, View):
    """Plans side by side: objective, bound, need covered, shortfall and km, and each school's shortfall."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = request.GET.getlist("plan")
        if not all(i.isdigit() for i in ids):
            raise BadRequest(_("Choose two to four plans to compare."))
        if not 2 <= len(ids) <= COMPARED_AT_MOST:  # the form sent with too few or too many ticked
            return render(
                request,
                "policy/rotation_plan_compare.html",
                {"refusal": _("Choose two to four plans to compare.")},
            )
        plans = [access_object(RotationPlan, request.user, int(i)) for i in ids]
        if len({(p.cluster_id, p.school_year) for p in plans}) > 1:
            raise BadRequest(_("Compare plans of one cluster and school year."))
        summaries = [plan_summary(p) for p in plans]
        names = list(dict.fromkeys(row["name"] for s in summaries for row in s["schools"]))
        schools = [
            {
                "name": name,
                "shortfalls": [
                    next((row["shortfall"] for row in s["schools"] if row["name"] == name), None)
                    for s in summaries
                ],
            }
            for name in names
        ]
        return render(
            request,
            "policy/rotation_plan_compare.html",
            {
                "plans": list(zip(plans, summaries, strict=True)),
                "schools": schools,
                "cluster": plans[0].cluster,
                "planning_url": planning_url(plans[0].cluster_id, plans[0].school_year),
            },
        )
