"""The choices of joint teaching research, guidance and new teachers' probation (S2 二(三)2), and the subjects a
cluster teaches by default: those of its schools' stages in Shanghai's compulsory-education curriculum."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from junheng.organisations.choices import Stage
from junheng.staffing.choices import SUBJECT_ALIASES


class ResearchKind(models.TextChoices):
    """What the schools did together: the activities S2 names (分主题、定时间开展集体备课、联合教研、专项研究、
    教学比武等活动) and the experimental projects of joint work (围绕跨学科、项目化、主题式教学……学段衔接等形成
    实验项目，实施联合攻关)."""

    LESSON_PREPARATION = "lesson_preparation", _("Collective lesson preparation")
    JOINT_RESEARCH = "joint_research", _("Joint teaching research")
    SPECIAL_STUDY = "special_study", _("Special study")
    TEACHING_CONTEST = "teaching_contest", _("Teaching contest")
    EXPERIMENTAL_PROJECT = "experimental_project", _("Experimental project")
    CROSS_DISCIPLINARY = "cross_disciplinary", _("Cross-disciplinary project")
    PROJECT_BASED = "project_based", _("Project-based learning project")
    STAGE_TRANSITION = "stage_transition", _("Stage-transition project")


# The kinds R-D5 counts: the themed activities of the sentence that ends “各学科联合教研每学期不少于 5 次”. The
# experimental projects are recorded beside them but are joint work of another sentence, not counted.
COUNTED_KINDS = (
    ResearchKind.LESSON_PREPARATION.value,
    ResearchKind.JOINT_RESEARCH.value,
    ResearchKind.SPECIAL_STUDY.value,
    ResearchKind.TEACHING_CONTEST.value,
)


class GuidanceRole(models.TextChoices):
    EXPERT = "expert", _("Expert")
    TEACHER = "teacher", _("Teacher")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


# The subjects of the compulsory-education curriculum by stage, as Shanghai teaches them under the national
# curriculum scheme of 2022 (义务教育课程方案（2022年版）) with Shanghai's names (外语, 体育与健身). The platform's
# default, not S2's: a cluster names its own list (ClusterResearchSetting.subjects) where it differs.
PRIMARY_SUBJECTS = (
    "语文",
    "数学",
    "外语",
    "道德与法治",
    "科学",
    "体育与健身",
    "音乐",
    "美术",
    "劳动",
    "信息科技",
)
JUNIOR_SUBJECTS = (
    "语文",
    "数学",
    "外语",
    "道德与法治",
    "历史",
    "地理",
    "物理",
    "化学",
    "生物学",
    "科学",
    "体育与健身",
    "音乐",
    "美术",
    "劳动",
    "信息科技",
)
# A stage's default subjects. A special-education school (培智、辅读) follows a curriculum of its own (生活语文,
# 生活数学 …): it adds none, and a cluster with one names its list.
STAGE_SUBJECTS: dict[str, tuple[str, ...]] = {
    Stage.PRIMARY: PRIMARY_SUBJECTS,
    Stage.JUNIOR: JUNIOR_SUBJECTS,
    Stage.NINE_YEAR: (*PRIMARY_SUBJECTS, *JUNIOR_SUBJECTS),
    Stage.COMPLETE_SECONDARY: JUNIOR_SUBJECTS,
    Stage.TWELVE_YEAR: (*PRIMARY_SUBJECTS, *JUNIOR_SUBJECTS),
}
ALL_SUBJECTS = tuple(dict.fromkeys((*PRIMARY_SUBJECTS, *JUNIOR_SUBJECTS)))
# Names districts write for the same subject, beside the exam's aliases (英语 → 外语 …).
RESEARCH_SUBJECT_ALIASES = {**SUBJECT_ALIASES, "生物": "生物学", "信息技术": "信息科技", "劳动技术": "劳动"}
SEPARATORS = re.compile(r"[、,，;；/\s]+")


def split_subjects(text: str) -> list[str]:
    """The subjects a text names (“数学、英语” → 数学, 外语), by the curriculum's names, in order, once each."""
    names = (RESEARCH_SUBJECT_ALIASES.get(s, s) for s in SEPARATORS.split(text or "") if s)
    return list(dict.fromkeys(names))


def default_subjects(stages: Iterable[str]) -> list[str]:
    """The subjects of the stages, in the curriculum's order."""
    wanted = {subject for stage in stages for subject in STAGE_SUBJECTS.get(stage, ())}
    return [subject for subject in ALL_SUBJECTS if subject in wanted]
