"""The layout advisor's page (R-A5): a district's proposed clusters beside its current ones, on the map, and as a
workbook. A bureau lays out its own district, the municipal commission any; a district the user may not lay out is
a 404, like a missing one.

The proposal is solved in the request: a small demo district solves in about 0.01 s (the page in about 50 ms) and
bench/layout.py's 150 schools in 0.6–1.4 s, within a page's time (docs/architecture.md, "The layout advisor").
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.exports import CONTENT_TYPES, as_attachment, write_workbook
from junheng.core.scope import scope_for
from junheng.organisations.map import map_data
from junheng.organisations.models import District

from .layout import LayoutResult, NoLayout, Options
from .layout.command import workbook_sheets
from .layout.platform import DistrictLayout, bounds_for, district_layout, propose_for, summary


def districts_laid_out_by(user: Any) -> Any:
    """The districts the user may lay out: all for the commission, a bureau's own."""
    scope = scope_for(user)
    districts = District.objects.order_by("code")
    return districts if scope.everything else districts.filter(pk__in=scope.districts)


class LayoutForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"), queryset=District.objects.none(), to_field_name="code"
    )
    min_size = forms.IntegerField(label=gettext_lazy("Smallest cluster"), min_value=1, required=False)
    max_size = forms.IntegerField(label=gettext_lazy("Largest cluster"), min_value=1, required=False)
    mixed_stages = forms.BooleanField(label=gettext_lazy("Clusters may mix stages"), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_laid_out_by(user)  # type: ignore[attr-defined]


def _form(request: HttpRequest) -> LayoutForm:
    """The form bound to the query string; without a district, the user's first. No district to lay out: 404."""
    offered = districts_laid_out_by(request.user)
    first = offered.first()
    if first is None:
        raise Http404
    data = request.GET.copy()
    data.setdefault("district", first.code)
    form = LayoutForm(request.user, data)
    if not form.is_valid() and "district" in form.errors:
        raise Http404  # another bureau's district, or none
    return form


def _options(form: LayoutForm) -> Options:
    data = form.cleaned_data if form.is_valid() else {}
    return Options(data.get("min_size"), data.get("max_size"), bool(data.get("mixed_stages")))


def _solve(layout: DistrictLayout, options: Options) -> tuple[LayoutResult | None, str]:
    try:
        return propose_for(layout, options), ""
    except NoLayout as refused:
        return None, str(refused)


def _proposal_for_map(layout: DistrictLayout, result: LayoutResult) -> dict[str, Any]:
    """The proposal in the map's terms: schools by their number on the platform."""
    records = layout.records
    return {
        "clusters": [
            {
                "id": index,
                "name": _("Proposed: %(lead)s") % {"lead": records[c.lead].name},
                "lead": records[c.lead].pk,
                "members": [records[code].pk for code in c.members],
                "url": records[c.lead].get_absolute_url(),
            }
            for index, c in enumerate(result.clusters)
        ]
    }


def _proposed_rows(layout: DistrictLayout, result: LayoutResult) -> list[dict[str, Any]]:
    records = layout.records
    return [
        {
            "lead": records[c.lead],
            "stage": records[c.lead].get_stage_display() or "—",
            "members": "、".join(records[code].name for code in c.members[1:]),
            "size": len(c.members),
            "weaker": c.weaker,
            "students": c.students,
            "mean_km": c.mean_km,
            "worst_km": c.worst_km,
        }
        for c in result.clusters
    ]


class LayoutView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = _form(request)
        district = (
            form.cleaned_data["district"]
            if form.is_valid()
            else District.objects.get(code=form.data["district"])
        )
        layout = district_layout(district, timezone.localdate())
        options = bounds_for(layout, _options(form))
        result, refusal = _solve(layout, options) if form.is_valid() else (None, "")
        current = [c.result for c in layout.current if c.result]
        context = {
            "form": form,
            "district": district,
            "layout": layout,
            "options": options,
            "result": result,
            "refusal": refusal,
            "names": {key: school.name for key, school in layout.records.items()},
            "current": summary(current, layout.weaker),
            "proposed": summary(result.clusters, layout.weaker) if result else None,
            "map": map_data(request.user, district=district),
            "proposal": _proposal_for_map(layout, result) if result else None,
            "proposed_rows": _proposed_rows(layout, result) if result else [],
            "query": request.GET.urlencode(),
        }
        return render(request, "policy/layout.html", context)


class LayoutExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            raise Http404
        district = form.cleaned_data["district"]
        layout = district_layout(district, timezone.localdate())
        result, refusal = _solve(layout, _options(form))
        if result is None:  # no layout keeps the bounds: the page says why
            messages.error(request, refusal)
            return redirect(f"{reverse('policy:layout')}?{request.GET.urlencode()}")
        stream = io.BytesIO()
        write_workbook([*workbook_sheets(result), school_sheet(layout, result)], stream)
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["xlsx"])
        return as_attachment(response, f"集群布局建议-{district.name}.xlsx", f"layout-{district.code}.xlsx")


def school_sheet(layout: DistrictLayout, result: LayoutResult) -> tuple[str, list[list[Any]]]:
    """The schools by name, each with its proposed lead, beside the codes the other sheets use."""
    lead_of = {code: c.lead for c in result.clusters for code in c.members}
    rows: list[list[Any]] = [
        [
            "学校代码 school_code",
            "学校 name",
            "学段 stage",
            "类别 tier",
            "学生数 students",
            "牵头校 lead",
            "牵头校名称",
        ]
    ]
    for s in layout.schools:
        lead = lead_of.get(s.code, "")
        rows.append(
            [
                s.code,
                layout.records[s.code].name,
                s.stage,
                s.tier,
                s.students,
                lead,
                layout.records[lead].name,
            ]
        )
    return ("学校", rows)
