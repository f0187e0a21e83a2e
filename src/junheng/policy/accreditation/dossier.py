"""The application's dossier (申报材料): the cluster as it stood on the application date — its members, the S2
findings about it that stood that day (R-A4, R-A6, teacher flow R-C*, sharing R-D*, the model standard R-E3), its
evaluation figures (the cluster report of its latest monitoring year by then) and its governance documents and
meetings. One `Report`, shown as a page and printed as Word or PDF by the evaluation report's renderers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.evaluation.cluster_report import Report, Section, Table, cluster_report
from junheng.evaluation.models import ClusterResult
from junheng.organisations.choices import GovernanceKind
from junheng.organisations.models import (
    ClusterMembership,
    GovernanceDocument,
    MembershipChange,
    WorkMeeting,
    in_force_on,
)

from ..models import ComplianceRun, Finding, SubjectType
from ..rules.wording import finding_heading
from ..selectors import current_findings
from .models import Accreditation

DOSSIER_RULES = ("R-A4", "R-A6", "R-C", "R-D", "R-E3")


def dossier_day(accreditation: Accreditation) -> date:
    """The application date; for a draft, today (what the dossier would hold if it were made now)."""
    return accreditation.applied_on or timezone.localdate()


def runs_standing_on(day: date) -> list[ComplianceRun]:
    """Of each edition, the latest city-wide run and each district's latest own run checked as of the day or
    before: the runs whose findings stood on that day."""
    latest = (
        ComplianceRun.objects.filter(as_of__lte=day)
        .values("edition", "district")
        .annotate(last=Max("pk"))
        .order_by()
    )
    return list(
        ComplianceRun.objects.filter(pk__in=[row["last"] for row in latest]).select_related("edition")
    )


def dossier_findings(viewer: Any, accreditation: Accreditation, day: date) -> list[Finding]:
    found = current_findings(viewer, runs_standing_on(day)).filter(
        subject_type=SubjectType.CLUSTER, subject_id=accreditation.cluster_id, run__edition__code="S2"
    )
    return [f for f in found.select_related("run").order_by("rule") if f.rule.startswith(DOSSIER_RULES)]


def _members(accreditation: Accreditation, day: date) -> Section:
    cluster = accreditation.cluster
    members = ClusterMembership.objects.filter(in_force_on(day), cluster=cluster).select_related("school")
    return Section(
        _("The cluster"),
        paragraphs=[
            _("%(cluster)s, %(district)s; lead school: %(lead)s; model status: %(status)s.")
            % {
                "cluster": cluster.name,
                "district": cluster.district,
                "lead": cluster.lead_school or "—",
                "status": cluster.get_model_status_display(),
            },
            accreditation.statement or _("No application statement."),
        ],
        tables=[
            Table(
                [_("School"), _("Tier"), _("Member since")],
                [[m.school.name, m.get_tier_display(), f"{m.start_date:%Y-%m-%d}"] for m in members],
            )
        ],
    )


def _findings(findings: list[Finding]) -> Section:
    rows = [
        [f.rule, finding_heading(f.rule, f.threshold), f.get_status_display(), f.message] for f in findings
    ]
    return Section(
        _("Compliance with S2 as it stood"),
        paragraphs=[] if rows else [_("No compliance check of S2 had covered the cluster by then.")],
        tables=[Table([_("Rule"), _("Requirement"), _("Status"), _("Explanation")], rows)] if rows else [],
    )


def _documents(accreditation: Accreditation, day: date) -> Section:
    cluster = accreditation.cluster
    documents = GovernanceDocument.objects.filter(cluster=cluster, adopted_on__lte=day).order_by(
        "kind", "-version"
    )
    latest: dict[str, GovernanceDocument] = {}
    for document in documents:
        latest.setdefault(document.kind, document)
    rows = []
    for kind in GovernanceKind:
        found = latest.get(kind)
        rows.append(
            [
                kind.label,
                found.title if found else _("not adopted"),
                f"v{found.version}" if found else "",
                f"{found.adopted_on:%Y-%m-%d}" if found and found.adopted_on else "",
            ]
        )
    meetings = WorkMeeting.objects.filter(cluster=cluster, held_on__lte=day).order_by("-held_on")
    changes = MembershipChange.objects.filter(cluster=cluster, effective_on__lte=day).select_related("school")
    return Section(
        _("Governance documents and work meetings"),
        paragraphs=[
            _("%(count)d work meetings held by then.") % {"count": meetings.count()},
        ],
        tables=[
            Table([_("Document"), _("Title"), _("Version"), _("Adopted on")], rows),
            Table(
                [_("Held on"), _("Subject"), _("Number present")],
                [[f"{m.held_on:%Y-%m-%d}", m.title, m.present] for m in meetings[:12]],
            ),
            Table(
                [_("School"), _("Change"), _("Effective on"), _("Status"), _("Reason")],
                [
                    [
                        c.school.name,
                        c.get_kind_display(),
                        f"{c.effective_on:%Y-%m-%d}",
                        c.get_status_display(),
                        c.reason,
                    ]
                    for c in changes
                ],
            ),
        ],
    )


def dossier(accreditation: Accreditation, viewer: Any = None) -> Report:
    day = dossier_day(accreditation)
    cluster = accreditation.cluster
    sections = [
        _members(accreditation, day),
        _findings(dossier_findings(viewer, accreditation, day)),
        _documents(accreditation, day),
    ]
    year = (
        ClusterResult.objects.filter(cluster=cluster, year__lte=day.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        sections.append(
            Section(_("Evaluation"), paragraphs=[_("No monitoring results of the cluster by then.")])
        )
    else:
        sections += cluster_report(cluster, year, viewer=viewer).sections
    return Report(
        title=_("Application dossier of %(cluster)s for model status") % {"cluster": cluster.name},
        subtitle=_("%(district)s · as of %(day)s · %(status)s")
        % {
            "district": cluster.district,
            "day": f"{day:%Y-%m-%d}",
            "status": accreditation.get_status_display(),
        },
        sections=sections,
    )
