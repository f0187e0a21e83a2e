"""The rules of joint teaching research and training in the model clusters (S2 二(三)2): joint research in every
subject each semester (R-D5) and new teachers' probation at the lead school or the cluster's teacher-development
school (R-D7). S2 sets no frequency for the guidance team's visits (R-D6): they are reported
(sharing.research_views), not judged.

The facts come from `sharing.research_selectors.cluster_research`: the model clusters (创建中, 已认定), the semester
containing the as-of date (1 September – 31 January, 1 February – 31 August)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import AT_RISK, FAIL, NO_DATA, NOT_DUE, PASS, Context, FindingData, Limit, Measure, Rule, register

SEMESTER = Measure(gettext_lazy("Semester"), "text")


class SubjectsFrom(models.TextChoices):
    CLUSTER = "cluster", gettext_lazy("The cluster's own list")
    STAGES = "stages", gettext_lazy("The default subjects of its schools' stages")


@register
class JointResearchPerSubject(Rule):
    """Each subject the cluster teaches has the number of joint research activities in the semester: collective
    lesson preparation, joint research, special studies and teaching contests count (sharing.research_choices
    COUNTED_KINDS), one activity for each subject it names. The subjects are the cluster's own list, else those of
    its member schools' stages on the as-of date. Short while the semester runs: `not_due` in its first half,
    `at_risk` from its middle (R-F4 reminds), `fail` on its last day (the daily refresh keeps that day's run)."""

    code = "R-D5"
    title = "学区、集团内各学科联合教研每学期不少于{R-D5.joint_research_per_subject}次"
    scope = "cluster"
    period = "semester"
    keys = ("R-D5.joint_research_per_subject",)
    reads = ("cluster_research",)
    measures = {
        "semester": SEMESTER,
        "subjects_from": Measure(
            gettext_lazy("Subjects judged"),
            "choice",
            choices=SubjectsFrom,
        ),
        "counts": Measure(gettext_lazy("Activities by subject"), each=Measure("", "count", "次")),
        "short": Measure(gettext_lazy("Subjects short of the number"), "list"),
    }
    limits = {
        "R-D5.joint_research_per_subject": Limit(gettext_lazy("Joint research a semester, each subject"))
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        facts = context.cluster_research
        required = context.thresholds[self.keys[0]]
        semester = facts.semester
        elapsed = (facts.as_of - semester.start).days / ((semester.end - semester.start).days + 1)
        for cluster in facts.clusters:
            short = [s for s, n in cluster.counts.items() if not required.met_by(n)]
            if not cluster.subjects:
                status = NO_DATA  # no stage known and no list of its own: which subjects is unknown
            elif not short:
                status = PASS
            elif facts.as_of >= semester.end:
                status = FAIL
            else:
                status = AT_RISK if elapsed >= 0.5 else NOT_DUE
            measured = {
                "semester": str(semester),
                "subjects_from": SubjectsFrom.CLUSTER if cluster.explicit else SubjectsFrom.STAGES,
                "counts": cluster.counts,
                "short": short,
            }
            explanation = _(
                "%(semester)s: joint research in %(subjects)d subjects, short of the number in: %(short)s."
            ) % {
                "semester": semester,
                "subjects": len(cluster.subjects),
                "short": "、".join(f"{s}（{cluster.counts[s]}）" for s in short) or _("none"),
            }
            yield self.finding(context, cluster.cluster, "cluster", status, measured, explanation)


@register
class ProbationSchool(Rule):
    """Every new teacher whose probation runs in the semester does it at the lead school or at the cluster's
    teacher-development school (sharing.ClusterResearchSetting); one elsewhere fails the cluster, named. S2 says
    原则上 (as a rule): the finding names the exceptions for the district to judge. A cluster with no new teacher in
    the semester has nothing to judge."""

    code = "R-D7"
    title = "新教师统一在牵头校或学区、集团内的教师专业发展学校见习培养"
    scope = "cluster"
    period = "semester"
    keys = ("R-D7.probation_at_lead_or_development_school",)
    reads = ("cluster_research",)
    measures = {
        "semester": SEMESTER,
        "new_teachers": Measure(gettext_lazy("New teachers on probation"), "count", "人"),
        "allowed_schools": Measure(gettext_lazy("Lead and teacher-development schools"), "list"),
        "elsewhere": Measure(gettext_lazy("On probation elsewhere"), "list"),
    }
    limits = {
        "R-D7.probation_at_lead_or_development_school": Limit(
            gettext_lazy("Probation at the lead or the teacher-development school")
        )
    }

    def evaluate(self, context: Context) -> Iterator[FindingData]:
        facts = context.cluster_research
        for cluster in facts.clusters:
            if not cluster.probations:
                continue
            elsewhere = [
                f"{p}：{p.probation_school}"
                for p in cluster.probations
                if p.probation_school_id not in cluster.allowed_schools
            ]
            measured = {
                "semester": str(facts.semester),
                "new_teachers": len(cluster.probations),
                "allowed_schools": list(cluster.allowed_schools.values()),
                "elsewhere": elsewhere,
            }
            explanation = _(
                "%(semester)s: %(count)d new teachers on probation, elsewhere than the lead or the "
                "teacher-development school: %(elsewhere)s."
            ) % {
                "semester": facts.semester,
                "count": len(cluster.probations),
                "elsewhere": "、".join(elsewhere) or _("none"),
            }
            status = FAIL if elsewhere else PASS
            yield self.finding(context, cluster.cluster, "cluster", status, measured, explanation)
