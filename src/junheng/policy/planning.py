"""The rotation planner in platform mode (issue 15): a cluster's plan for a school year from the platform's
records — its members on 1 September, their rotation-eligible teachers (R-C1), the weaker schools' needs and the
edition's numbers — made in the background worker, kept with its inputs, changed by hand (pinned and forbidden
pairs) and re-solved, compared, and turned into proposed rotations in one audited action.

The inputs are taken when the plan is asked for and kept on it (`RotationPlan.inputs`): the worker plans exactly
what the user saw, and the plan can be made again, here or by `junheng plan rotations` on the inputs' files.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.periods import SchoolYear
from junheng.core.scope import can, scope_for
from junheng.core.services import object_save
from junheng.organisations.choices import Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on
from junheng.staffing.choices import INFLOW_KINDS, RotationKind, RotationStatus
from junheng.staffing.models import Rotation, Teacher
from junheng.staffing.selectors import eligibility

from .models import PlanStatus, RotationNeed, RotationPlan
from .planner import Infeasible, Need, Options, PlanResult, plan
from .planner import School as PlannedSchool
from .planner import Teacher as PlannedTeacher
from .planner.command import KEYS
from .planner.problem import JUNIOR, PRIMARY, canonical_subject
from .rules.s2_flow import term_end
from .selectors import ELIGIBLE_YEARS_KEY, thresholds_in_force

TERM_KEY = "R-C2.rotation_years"

# The stages of compulsory education each kind of school teaches: what a rotating teacher's stage must be among.
PLANNED_STAGES: dict[str, list[str]] = {
    Stage.PRIMARY: [PRIMARY],
    Stage.JUNIOR: [JUNIOR],
    Stage.NINE_YEAR: [PRIMARY, JUNIOR],
    Stage.COMPLETE_SECONDARY: [JUNIOR],
    Stage.TWELVE_YEAR: [PRIMARY, JUNIOR],
}


class PlanRefused(Exception):
    """The plan cannot be made or applied; the message says why, in Chinese."""


def school_key(school: School) -> str:
    """A school as the planner names it: its code, or its number on the platform where it has none."""
    return school.code or f"#{school.pk}"


# The inputs, from the records --------------------------------------------------------------------------------------


NUMBERS = [*KEYS, TERM_KEY, ELIGIBLE_YEARS_KEY]  # the edition's numbers a plan keeps


def plan_inputs(cluster: Cluster, school_year: int) -> dict[str, Any]:
    """Everything the cluster's plan is made from, as plain data (`inputs_of`); PlanRefused when it cannot be
    made."""
    found = inputs_of([cluster], school_year)[cluster.pk]
    if isinstance(found, PlanRefused):
        raise found
    return found


def inputs_of(clusters: list[Cluster], school_year: int) -> dict[int, dict[str, Any] | PlanRefused]:
    """Per cluster, everything its plan is made from, as plain data — its members on the year's 1 September with
    their tier, stages and coordinates; the eligible teachers of its quality schools; the weaker schools' needs;
    the edition's numbers — or why it cannot be planned. A teacher already arranged that year to go from a quality
    school into a weaker one that needs the teacher's subject and stage counts as sent and takes its part of the
    need (`arranged_to`); a teacher away in another rotation counts among the eligible and is not planned
    (`available` false). A fixed number of queries, whatever the number of clusters."""
    start = SchoolYear(school_year).start
    thresholds = thresholds_in_force(start, NUMBERS)
    missing = [key for key in NUMBERS if key not in thresholds]
    if missing:
        raise PlanRefused("政策版本缺少轮岗规划所需的参数：" + "、".join(missing))
    members: dict[int, list[ClusterMembership]] = {c.pk: [] for c in clusters}
    for membership in (
        ClusterMembership.objects.filter(in_force_on(start), cluster__in=[c.pk for c in clusters])
        .select_related("school")
        .order_by("school__code", "school__pk")
    ):
        members[membership.cluster_id].append(membership)
    every = [m for listed in members.values() for m in listed]
    years = int(thresholds[ELIGIBLE_YEARS_KEY].value or 0)
    found = eligibility({m.school_id for m in every if m.tier == Tier.QUALITY}, school_year, years)
    busy = _busy_teachers(
        [t.pk for e in found.values() for t in e.teachers], start, thresholds[TERM_KEY].value
    )
    needs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for n in (
        RotationNeed.objects.filter(
            school__in={m.school_id for m in every if m.tier == Tier.WEAKER}, school_year=school_year
        )
        .select_related("school")
        .order_by("school__code", "stage", "subject")
    ):
        needs[n.school_id].append(
            {"school_code": school_key(n.school), "subject": n.subject, "stage": n.stage, "need": n.need}
        )
    numbers = {key: str(thresholds[key].value) for key in NUMBERS}
    return {c.pk: _cluster_inputs(c, members[c.pk], numbers, found, busy, needs, start) for c in clusters}


def _cluster_inputs(
    cluster: Cluster,
    members: list[ClusterMembership],
    numbers: dict[str, str],
    found: dict[int, Any],
    busy: dict[int, Rotation],
    needs_of: dict[int, list[dict[str, Any]]],
    start: date,
) -> dict[str, Any] | PlanRefused:
    schools = [_school_row(m) for m in members]
    unplaced = [s["name"] for s in schools if s["lon"] is None or s["lat"] is None]
    if unplaced:
        return PlanRefused("以下学校缺少经纬度，无法计算距离，请先在学校信息中填写：" + "、".join(unplaced))
    quality = [m.school for m in members if m.tier == Tier.QUALITY]
    weaker = {m.school_id: m.school for m in members if m.tier == Tier.WEAKER}
    needs = [n for school in weaker for n in needs_of.get(school, [])]
    needed = {(n["school_code"], canonical_subject(n["subject"]), n["stage"]) for n in needs if n["need"] > 0}
    teachers, away, arranged = [], [], []
    for school in quality:
        for teacher in found[school.pk].teachers:
            row = _teacher_row(teacher, school)
            rotation = busy.get(teacher.pk)
            host = school_key(rotation.host) if rotation else ""
            if rotation is None:
                teachers.append({**row, "available": True, "arranged_to": ""})
            elif (
                _arranged_this_year(rotation, school, weaker, start)
                and (host, canonical_subject(teacher.subject), row["stage"]) in needed
                and row["stage"] in PLANNED_STAGES.get(rotation.host.stage, [])
            ):
                teachers.append({**row, "available": True, "arranged_to": host})
                arranged.append([teacher.staff_number, host, rotation.pk])
            else:
                teachers.append({**row, "available": False, "arranged_to": ""})
                away.append({**row, "rotation": rotation.pk, "host": rotation.host.name})
    return {
        "cluster": {"id": cluster.pk, "name": cluster.name},
        "school_year": start.year,
        "thresholds": numbers,
        "schools": schools,
        "teachers": teachers,
        "needs": needs,
        "arranged": arranged,
        "away": away,
    }


def _school_row(membership: ClusterMembership) -> dict[str, Any]:
    school = membership.school
    return {
        "school_code": school_key(school),
        "id": school.pk,
        "name": school.name,
        "tier": membership.tier,
        "stages": PLANNED_STAGES.get(school.stage, []),
        "lon": None if school.longitude is None else float(school.longitude),
        "lat": None if school.latitude is None else float(school.latitude),
    }


def _teacher_row(teacher: Teacher, school: School) -> dict[str, Any]:
    return {
        "staff_number": teacher.staff_number,
        "id": teacher.pk,
        "name": teacher.name,
        "school_code": school_key(school),
        "subject": teacher.subject,
        "stage": stage_taught(teacher, school),
        "backbone": bool(teacher.backbone_tier),
    }


def stage_taught(teacher: Teacher, school: School) -> str:
    """The teacher's stage, or, where none is recorded, the one stage its school teaches (a primary school's
    teacher teaches primary); a teacher of a nine-year school without a stage is no candidate."""
    if teacher.stage:
        return teacher.stage
    stages = PLANNED_STAGES.get(school.stage, [])
    return stages[0] if len(stages) == 1 else ""


def _busy_teachers(teacher_ids: list[int], start: date, term: Any) -> dict[int, Rotation]:
    """The teachers with a rotation (in any step of its workflow) during the term a rotation starting on the
    year's first day would run: they cannot be sent again."""
    end = term_end(start, Decimal(str(term)))
    rotations = (
        Rotation.objects.filter(teacher__in=teacher_ids, start_date__lte=end)
        .select_related("host")
        .order_by("start_date", "pk")
    )
    return {r.teacher_id: r for r in rotations if r.end >= start}


def _arranged_this_year(rotation: Rotation, school: School, weaker: dict[int, School], start: date) -> bool:
    """A rotation the plan keeps: starting in the year, from the quality school into a weaker member, by a kind
    that is inflow (exchange or team inflow)."""
    year = SchoolYear(start.year)
    return (
        rotation.from_school_id == school.pk
        and rotation.host_id in weaker
        and rotation.kind in INFLOW_KINDS
        and year.start <= rotation.start_date <= year.end
    )


# Planning ----------------------------------------------------------------------------------------------------------


def options_of(plan_record: RotationPlan) -> Options:
    """The planner's options: the edition's numbers kept in the inputs, the plan's choices, and the pairs pinned
    or forbidden by hand."""
    numbers = plan_record.inputs["thresholds"]
    return Options(
        quota_share=Decimal(numbers["R-C2.rotation_share"]),
        backbone_share=Decimal(numbers["R-C2.backbone_share"]),
        team_minimum=int(Decimal(numbers["R-C4.team_inflow"])),
        max_share=plan_record.max_share,
        teams=plan_record.teams,
        method=plan_record.method,
        time_limit=60.0,
        pinned=frozenset((t, w) for t, w in plan_record.pinned),
        forbidden=frozenset((t, w) for t, w in plan_record.forbidden),
    )


def planned_data(inputs: dict[str, Any]) -> tuple[list[PlannedTeacher], list[PlannedSchool], list[Need]]:
    code = str(inputs["cluster"]["id"])
    return (
        [
            PlannedTeacher(
                t["staff_number"],
                t["school_code"],
                t["subject"],
                t["stage"],
                t["backbone"],
                available=t["available"],
                arranged_to=t["arranged_to"],
            )
            for t in inputs["teachers"]
        ],
        [
            PlannedSchool(
                s["school_code"], code, s["tier"], frozenset(s["stages"]), float(s["lon"]), float(s["lat"])
            )
            for s in inputs["schools"]
        ],
        [Need(n["school_code"], n["subject"], n["stage"], int(n["need"])) for n in inputs["needs"]],
    )


def solve_plan(plan_record: RotationPlan) -> PlanResult:
    """The plan of the kept inputs and options; Infeasible when the pinned pairs leave none."""
    return plan(*planned_data(plan_record.inputs), options_of(plan_record))


def report_plan_progress(plan_id: int, percent: int, step: str) -> None:
    RotationPlan.objects.filter(pk=plan_id).update(progress=percent, step=step)


def run_plan(plan_id: int, echo: Callable[[int, str], None] | None = None) -> RotationPlan:
    """The worker's run: plans the kept inputs, writes the result (or why there is none), with its progress."""
    plan_record = RotationPlan.objects.get(pk=plan_id)
    if plan_record.status != PlanStatus.QUEUED:
        return plan_record  # a task delivered twice plans once

    def progress(percent: int, step: str) -> None:
        report_plan_progress(plan_id, percent, step)
        if echo:
            echo(percent, step)

    _set_status(plan_record, PlanStatus.RUNNING, _("Planning started"))
    progress(
        20, _("Solving the mixed-integer programme") if plan_record.method == "optimal" else _("Planning")
    )
    try:
        result = solve_plan(plan_record)
    except Infeasible as infeasible:
        plan_record.error = str(infeasible)
        _set_status(plan_record, PlanStatus.FAILED, _("No plan keeps the pinned pairs and the rules"))
        return plan_record
    progress(90, _("Saving the plan"))
    plan_record.result = result.as_dict()
    _set_status(plan_record, PlanStatus.DONE, _("Planned"))
    return plan_record


def _set_status(plan_record: RotationPlan, status: str, step: str) -> None:
    plan_record.status, plan_record.step = status, step
    if status in (PlanStatus.DONE, PlanStatus.FAILED):
        plan_record.progress, plan_record.finished_at = 100, timezone.now()
    object_save(actor=None, instance=plan_record, reason=step, check_scope=False)


# Asking for a plan, and changing one -------------------------------------------------------------------------------


def may_plan(actor: Any, cluster: Cluster) -> bool:
    """The cluster's district bureau and its office plan its rotations (those who edit its plans)."""
    return bool(
        Cluster.objects.whose_work(scope_for(actor, Action.CHANGE), Action.CHANGE)
        .filter(pk=cluster.pk)
        .exists()
    )


@transaction.atomic
def request_plan(
    *,
    actor: Any,
    cluster: Cluster,
    school_year: int,
    method: str = "optimal",
    max_share: Decimal | None = None,
    teams: bool = True,
    pinned: list[list[str]] | None = None,
    forbidden: list[list[str]] | None = None,
    parent: RotationPlan | None = None,
    label: str = "",
    inputs: dict[str, Any] | None = None,
    queue: bool = True,
) -> RotationPlan:
    """A new plan with the inputs as they are now, queued for the worker. A change of an earlier plan (a pin, a
    forbidden pair, a what-if) plans that plan's inputs again, so that the two differ by the change alone."""
    if not may_plan(actor, cluster):
        raise PermissionDenied(_("Only the cluster's district bureau and its office plan its rotations."))
    if inputs is None:
        inputs = parent.inputs if parent is not None else plan_inputs(cluster, school_year)
    plan_record = RotationPlan(
        cluster=cluster,
        school_year=school_year,
        method=method,
        max_share=max_share,
        teams=teams,
        pinned=sorted(pinned or []),
        forbidden=sorted(forbidden or []),
        parent=parent,
        label=label[:100],
        inputs=inputs,
        created_by=actor if getattr(actor, "pk", None) else None,
        step=str(_("Waiting for the worker")),
    )
    object_save(actor=actor, instance=plan_record, reason=_("Plan asked for"))
    if queue:
        transaction.on_commit(lambda: _enqueue(plan_record.pk))
    return plan_record


def _enqueue(plan_id: int) -> None:
    from .tasks import rotation_plan

    rotation_plan.enqueue(plan_id)


def changed_plan(
    *,
    actor: Any,
    plan_record: RotationPlan,
    pin: tuple[str, str] | None = None,
    forbid: tuple[str, str] | None = None,
    release: tuple[str, str] | None = None,
    what_if: dict[str, Any] | None = None,
) -> RotationPlan:
    """The plan again with one change: a pair pinned, a pair forbidden, a pin or prohibition released, or the
    what-if options (`max_share`, `teams`, extra `needs` as [school code, subject, stage, more])."""
    pinned = [list(p) for p in plan_record.pinned]
    forbidden = [list(p) for p in plan_record.forbidden]
    label = ""
    if pin:
        pinned, forbidden = _with(pinned, pin), _without(forbidden, pin)
        label = _("Pinned %(teacher)s → %(school)s") % {"teacher": pin[0], "school": pin[1]}
    if forbid:
        forbidden, pinned = _with(forbidden, forbid), _without(pinned, forbid)
        label = _("Forbade %(teacher)s → %(school)s") % {"teacher": forbid[0], "school": forbid[1]}
    if release:
        pinned, forbidden = _without(pinned, release), _without(forbidden, release)
        label = _("Released %(teacher)s → %(school)s") % {"teacher": release[0], "school": release[1]}
    settings: dict[str, Any] = {
        "max_share": plan_record.max_share,
        "teams": plan_record.teams,
        "method": plan_record.method,
    }
    inputs = plan_record.inputs
    if what_if:
        settings.update({k: v for k, v in what_if.items() if k in settings})
        inputs = with_more_need(inputs, what_if.get("needs", []))
        label = what_if_label(plan_record, settings, what_if.get("needs", []))
    return request_plan(
        actor=actor,
        cluster=plan_record.cluster,
        school_year=plan_record.school_year,
        pinned=pinned,
        forbidden=forbidden,
        parent=plan_record,
        label=label,
        inputs=inputs,
        **settings,
    )


def _with(pairs: list[list[str]], pair: tuple[str, str]) -> list[list[str]]:
    return [list(p) for p in sorted({(p[0], p[1]) for p in pairs} | {pair})]


def _without(pairs: list[list[str]], pair: tuple[str, str]) -> list[list[str]]:
    return [p for p in pairs if tuple(p) != tuple(pair)]


def with_more_need(inputs: dict[str, Any], more: list[list[Any]]) -> dict[str, Any]:
    """The inputs with need added (what-if): [school code, subject, stage, how many more]."""
    if not more:
        return inputs
    needs = {(n["school_code"], n["subject"], n["stage"]): int(n["need"]) for n in inputs["needs"]}
    for school, subject, stage, extra in more:
        needs[(school, subject, stage)] = needs.get((school, subject, stage), 0) + int(extra)
    return {
        **inputs,
        "needs": [
            {"school_code": s, "subject": subject, "stage": stage, "need": n}
            for (s, subject, stage), n in sorted(needs.items())
        ],
    }


def what_if_label(plan_record: RotationPlan, settings: dict[str, Any], more: list[list[Any]]) -> str:
    parts = []
    if settings["max_share"] != plan_record.max_share:
        share = settings["max_share"]
        parts.append("派出上限 " + (f"{(share * 100).normalize():f}%" if share is not None else "按轮岗比例"))
    if settings["teams"] != plan_record.teams:
        parts.append("组团流入" + ("开" if settings["teams"] else "关"))
    if settings["method"] != plan_record.method:
        parts.append("贪心法" if settings["method"] == "greedy" else "最优规划")
    parts += [f"{school} {subject}（{stage}）+{extra}" for school, subject, stage, extra in more]
    return "假设：" + "，".join(parts) if parts else "假设：不变"


# Turning a plan into proposed rotations ----------------------------------------------------------------------------


@transaction.atomic
def apply_plan(*, actor: Any, plan_record: RotationPlan) -> list[Rotation]:
    """The plan's new assignments as proposed rotations, all or none, each audited with the plan named: starting
    on the year's 1 September for the edition's term; team inflow where a weaker school receives a team, else an
    exchange. The rotations already arranged that year are not the plan's and are left as they are."""
    plan_record = RotationPlan.objects.select_for_update().get(pk=plan_record.pk)
    if not can(actor, Action.CHANGE, plan_record):
        raise PermissionDenied(_("Only the cluster's district bureau and its office plan its rotations."))
    if plan_record.status != PlanStatus.DONE or plan_record.result is None:
        raise PlanRefused(_("Only a finished plan becomes proposed rotations."))
    if plan_record.applied_at is not None:
        raise PlanRefused(
            _("This plan already became proposed rotations on %(day)s.")
            % {"day": timezone.localtime(plan_record.applied_at).strftime("%Y-%m-%d %H:%M")}
        )
    inputs = plan_record.inputs
    assignments = [a for c in plan_record.result["clusters"] for a in c["assignments"]]
    if not assignments:
        raise PlanRefused(_("The plan holds no new rotation to propose."))
    start = SchoolYear(plan_record.school_year).start
    end = term_end(start, Decimal(inputs["thresholds"][TERM_KEY]))
    teachers = {
        t.staff_number: t
        for t in Teacher.objects.filter(staff_number__in=[a["staff_number"] for a in assignments])
    }
    schools = {school_key(s): s for s in School.objects.filter(pk__in=[s["id"] for s in inputs["schools"]])}
    received = Counter(a["to"] for a in assignments)
    team_minimum = int(Decimal(inputs["thresholds"]["R-C4.team_inflow"]))
    reason = _("Proposed by rotation plan #%(plan)s") % {"plan": plan_record.pk}
    made, problems = [], []
    for a in assignments:
        teacher, host = teachers.get(a["staff_number"]), schools.get(a["to"])
        if teacher is None or host is None or teacher.employer_id != schools[a["from"]].pk:
            problems.append(
                _("%(teacher)s no longer teaches at %(school)s.")
                % {"teacher": a["staff_number"], "school": a["from"]}
            )
            continue
        team = plan_record.teams and received[a["to"]] >= team_minimum
        rotation = Rotation(
            teacher=teacher,
            kind=RotationKind.TEAM_INFLOW if team else RotationKind.EXCHANGE,
            from_school=teacher.employer,
            host=host,
            start_date=start,
            planned_end=end,
            subjects=teacher.subject,
            team=f"规划{plan_record.pk}-{a['to']}"[:50] if team else "",
            status=RotationStatus.PROPOSED,
        )
        try:
            with transaction.atomic():
                made.append(object_save(actor=actor, instance=rotation, reason=reason))
        except ValidationError as invalid:
            problems.append(f"{teacher.name}（{teacher.staff_number}）：" + "；".join(invalid.messages))
        except PermissionDenied as denied:
            problems.append(f"{teacher.name}（{teacher.staff_number}）：{denied}")
    if problems:
        transaction.set_rollback(True)
        raise PlanRefused(_("Nothing was proposed: ") + "；".join(problems))
    plan_record.applied_at, plan_record.applied_by = timezone.now(), actor
    object_save(actor=actor, instance=plan_record, reason=reason)
    return made


# The inputs as the analyst's files ---------------------------------------------------------------------------------


def inputs_archive(plan_record: RotationPlan) -> bytes:
    """The plan's inputs as the three CSV files `junheng plan rotations` reads (a zip), so that anyone can make
    the plan again without the platform. The pinned and forbidden pairs have no file: the README names them."""
    inputs = plan_record.inputs
    code = str(inputs["cluster"]["id"])
    files = {
        "teachers.csv": [
            [
                "staff_number",
                "school_code",
                "subject",
                "stage",
                "backbone",
                "eligible",
                "available",
                "arranged_to",
            ],
            *(
                [
                    t["staff_number"],
                    t["school_code"],
                    t["subject"],
                    t["stage"],
                    int(t["backbone"]),
                    1,
                    int(t["available"]),
                    t["arranged_to"],
                ]
                for t in inputs["teachers"]
            ),
        ],
        "schools.csv": [
            ["school_code", "cluster", "tier", "stages", "lon", "lat"],
            *(
                [s["school_code"], code, s["tier"], "+".join(s["stages"]), s["lon"], s["lat"]]
                for s in inputs["schools"]
            ),
        ],
        "needs.csv": [
            ["school_code", "subject", "stage", "need"],
            *([n["school_code"], n["subject"], n["stage"], n["need"]] for n in inputs["needs"]),
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(name, text.getvalue().encode("utf-8"))
    return buffer.getvalue()


# Platform mode of the command --------------------------------------------------------------------------------------


def plan_year(
    school_year: int,
    cluster_id: int | None,
    choose: Callable[[dict[str, Any]], Options],
    skipped: Callable[[str], None],
) -> PlanResult:
    """`junheng plan rotations --year Y [--cluster ID]`: the plan of one cluster, or of every cluster of the city,
    from the records as they are, with the options `choose` makes of each cluster's edition
    numbers; a cluster that cannot be planned is named to `skipped` (or refused, when it was the one asked for).
    Nothing is kept: the page keeps its plans."""
    if cluster_id is not None:
        clusters = list(Cluster.objects.filter(pk=cluster_id))
        if not clusters:
            raise PlanRefused(f"没有编号为 {cluster_id} 的集群。")
    else:
        clusters = list(Cluster.objects.order_by("pk"))
    started = time.perf_counter()
    results = []
    found = inputs_of(clusters, school_year)
    for cluster in clusters:
        inputs = found[cluster.pk]
        try:
            if isinstance(inputs, PlanRefused):
                raise inputs
            results += plan(*planned_data(inputs), choose(inputs["thresholds"])).clusters
        except (PlanRefused, Infeasible) as refused:
            if cluster_id is not None:
                raise PlanRefused(str(refused)) from refused
            skipped(f"跳过集群 {cluster.pk}（{cluster.name}）：{refused}")
    return PlanResult(
        results, round(sum(c.objective for c in results), 6), round(time.perf_counter() - started, 3)
    )


# A plan as its page shows it ---------------------------------------------------------------------------------------


def plan_summary(plan_record: RotationPlan) -> dict[str, Any]:
    """The plan's figures and rows with the names of its schools and teachers: what its page, the comparison
    and the chart show (the result itself is the command's JSON, unchanged)."""
    inputs = plan_record.inputs
    schools = {s["school_code"]: s for s in inputs.get("schools", [])}
    teachers = {t["staff_number"]: t for t in inputs.get("teachers", [])}
    pinned = {tuple(p) for p in plan_record.pinned}
    arranged = [t for t in inputs.get("teachers", []) if t.get("arranged_to")]
    need = sum(int(n["need"]) for n in inputs.get("needs", []))
    clusters = (plan_record.result or {}).get("clusters", [])
    school_rows = [
        {**row, "name": schools.get(row["school_code"], {}).get("name", row["school_code"])}
        for c in clusters
        for row in c["schools"]
    ]
    assignments = [
        {
            **a,
            "name": teachers.get(a["staff_number"], {}).get("name", ""),
            "backbone": teachers.get(a["staff_number"], {}).get("backbone", False),
            "from_name": schools.get(a["from"], {}).get("name", a["from"]),
            "to_name": schools.get(a["to"], {}).get("name", a["to"]),
            "pinned": (a["staff_number"], a["to"]) in pinned,
        }
        for c in clusters
        for a in c["assignments"]
    ]
    received = Counter([a["to"] for a in assignments] + [t["arranged_to"] for t in arranged])
    return {
        "status": clusters[0]["status"] if clusters else "",
        "objective": sum(c["objective"] for c in clusters) if clusters else None,
        "bound": None
        if not clusters or any(c["bound"] is None for c in clusters)
        else sum(c["bound"] for c in clusters),
        "schools": school_rows,
        "assignments": assignments,
        "weaker": [
            {
                "school_code": code,
                "name": s["name"],
                "need": sum(int(n["need"]) for n in inputs["needs"] if n["school_code"] == code),
                "received": received[code],
            }
            for code, s in schools.items()
            if s["tier"] == Tier.WEAKER
        ],
        "required": sum(r["required"] for r in school_rows),
        "sent": len(assignments),
        "shortfall": sum(r["shortfall"] for r in school_rows),
        "need": need,
        "need_covered": len(assignments) + len(arranged),
        "arranged": [
            {
                **t,
                "from_name": schools.get(t["school_code"], {}).get("name", t["school_code"]),
                "to_name": schools.get(t["arranged_to"], {}).get("name", t["arranged_to"]),
            }
            for t in arranged
        ],
        "km": round(sum(a["km"] for a in assignments), 3),
        "forbidden": [
            {
                "staff_number": t,
                "school_code": w,
                "name": teachers.get(t, {}).get("name", ""),
                "to_name": schools.get(w, {}).get("name", w),
            }
            for t, w in plan_record.forbidden
        ],
        "pinned": [
            {
                "staff_number": t,
                "school_code": w,
                "name": teachers.get(t, {}).get("name", ""),
                "to_name": schools.get(w, {}).get("name", w),
            }
            for t, w in plan_record.pinned
        ],
    }
