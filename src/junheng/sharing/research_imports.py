"""Bulk data in for joint research (R-D5): a cluster's activities, with the schools taking part (format in
docs/import-formats.md). An activity is found by its cluster, date and theme; a second run of the same file changes
nothing, not even the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from junheng.core.tabular import (
    CellError,
    Column,
    RowProblem,
    TabularImport,
    choice_parser,
    first_in_file,
    parse_date,
    parse_int,
    parse_text,
    register_imports,
    remembered,
)
from junheng.organisations.models import Cluster, ClusterMembership, School, in_force_on

from .models import ResearchActivity, ResearchParticipant
from .research_choices import ResearchKind, split_subjects

CLUSTER, ORGANISER, SUBJECTS, THEME, DATE, SCHOOLS = (
    "学区/集团",
    "组织学校",
    "学科",
    "主题",
    "日期",
    "参与学校",
)


def parse_subjects(value: Any) -> str:
    subjects = split_subjects(parse_text(value))
    if not subjects:
        raise CellError(_("Name at least one subject."))
    return "、".join(subjects)


def parse_school_names(value: Any) -> list[str]:
    return [name for name in dict.fromkeys(parse_text(value).replace("，", "、").split("、")) if name.strip()]


def clusters_to_name(actor: Any) -> tuple[str, list[list[Any]]]:
    """The template's sheet of the clusters the user sees, with their member schools today."""
    clusters = (Cluster.objects.restrict(actor) if actor else Cluster.objects.all()).select_related(
        "district"
    )
    return "可填报的学区和集团", [["学区/集团", "区"], *([c.name, str(c.district)] for c in clusters)]


def cluster_named(actor: Any, name: str) -> Cluster:
    seen = Cluster.objects.restrict(actor) if actor else Cluster.objects.all()
    found: list[Cluster] = list(seen.filter(name=name).select_related("district")[:20])
    if len(found) == 1:
        return found[0]
    if found:
        raise RowProblem(
            CLUSTER,
            _(
                "Clusters named “%(name)s” lie in several districts (%(districts)s): import as that district's bureau."
            )
            % {"name": name, "districts": "、".join(sorted(str(c.district) for c in found))},
        )
    raise RowProblem(CLUSTER, _("No cluster you see is named “%(name)s”.") % {"name": name})


def member_named(cluster: Cluster, name: str, column: str, day: Any) -> School:
    """The member school of that name on the day."""
    members = ClusterMembership.objects.filter(in_force_on(day), cluster=cluster, school__name=name)
    membership = members.select_related("school").first()
    if membership is None:
        raise RowProblem(
            column,
            _("“%(name)s” is not a member of %(cluster)s on %(date)s.")
            % {"name": name, "cluster": cluster, "date": day.isoformat()},
        )
    school: School = membership.school
    return school


@dataclass
class ActivityRow:
    activity: ResearchActivity  # with the row's fields set; saved only when `changed`
    changed: bool
    schools: list[School]


ACTIVITY_FIELDS = ("kind", "subjects", "participants", "summary")


def _activity(actor: Any, values: dict[str, Any]) -> ActivityRow:
    cluster = remembered(("cluster", values["cluster"]), lambda: cluster_named(actor, values["cluster"]))
    day, theme = values["date"], values["theme"]
    if not first_in_file(("activity", cluster.pk, day, theme)):
        raise RowProblem(THEME, _("An earlier row of this file gives the same activity."))
    organiser = member_named(cluster, values["organiser"], ORGANISER, day) if values["organiser"] else None
    schools = [member_named(cluster, name, SCHOOLS, day) for name in values["schools"]]
    activity = ResearchActivity.objects.filter(cluster=cluster, date=day, theme=theme).first()
    given = {name: values[name] for name in ACTIVITY_FIELDS}
    given["participants"] = given["participants"] or 0
    if activity is None:
        return ActivityRow(
            ResearchActivity(cluster=cluster, date=day, theme=theme, organiser=organiser, **given),
            True,
            schools,
        )
    changed = activity.organiser_id != (organiser.pk if organiser else None) or any(
        getattr(activity, name) != value for name, value in given.items()
    )
    activity.organiser = organiser
    for name, value in given.items():
        setattr(activity, name, value)
    return ActivityRow(activity, changed, schools)


def _activity_writes(actor: Any, row: ActivityRow) -> Iterator[Model]:
    """The activity when new or changed, then the schools named that do not yet take part (a school no longer
    named stays: the sheet adds who took part, the activity's page removes)."""
    if row.changed:
        yield row.activity
    present = set(
        ResearchParticipant.objects.filter(activity=row.activity.pk).values_list("school", flat=True)
        if row.activity.pk
        else []
    )
    for school in row.schools:
        if school.pk not in present:
            yield ResearchParticipant(activity=row.activity, school=school)


ACTIVITIES = TabularImport(
    model=ResearchActivity,
    kind="research-activities",
    title="联合教研活动",
    columns=[
        Column(
            CLUSTER,
            "cluster",
            hint="学区或集团的名称，见“可填报的学区和集团”。",
            example="崇明区演示集团",
            field="cluster",
        ),
        Column(DATE, "date", parse_date),
        Column(
            THEME, "theme", hint="活动的主题；同一学区或集团同一天的主题不重复。", example="大单元教学设计"
        ),
        Column("类型", "kind", choice_parser(ResearchKind.choices)),
        Column(
            SUBJECTS,
            "subjects",
            parse_subjects,
            hint="一个或多个学科，用“、”分隔，如 数学、科学。",
            example="数学",
        ),
        Column(
            ORGANISER,
            "organiser",
            required=False,
            hint="组织活动的成员校；学区或集团办公室组织的留空。",
            example="",
            field="organiser",
        ),
        Column(
            SCHOOLS,
            "schools",
            parse_school_names,
            required=False,
            hint="参与的成员校，用“、”分隔。",
            example="",
        ),
        Column("参与人数", "participants", parse_int, required=False),
        Column("内容摘要", "summary", required=False, example=""),
    ],
    build=_activity,
    writes=_activity_writes,
    reference=clusters_to_name,
    notes=[
        "按学区/集团、日期和主题查找活动：已有的活动更新，没有的新建。",
        "参与学校只增加不删除：已登记的参与学校不因未列出而移除，可在活动页面删除。",
        "学校只能导入本校组织的活动，学区、集团办公室和区教育局导入所辖学区、集团的活动。",
        "再次导入同一文件不作任何改动。",
    ],
)

IMPORTS = register_imports(ACTIVITIES)
