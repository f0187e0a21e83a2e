from django.db import models
from django.utils.translation import gettext_lazy as _


class BackboneTier(models.TextChoices):
    """Backbone-teacher tiers, highest first (特级 > 正高级 > 市级学科带头人 > 区级学科带头人 > 区骨干 > 校级骨干)."""

    NONE = "", _("Not a backbone teacher")
    SPECIAL_GRADE = "special_grade", _("Special-grade teacher")
    SENIOR_PROFESSOR = "senior_professor", _("Senior professor-level teacher")
    MUNICIPAL_LEADER = "municipal_leader", _("Municipal subject leader")
    DISTRICT_LEADER = "district_leader", _("District subject leader")
    DISTRICT_BACKBONE = "district_backbone", _("District backbone teacher")
    SCHOOL_BACKBONE = "school_backbone", _("School backbone teacher")


class Cadre(models.TextChoices):
    """Whether a teacher is also a school leader or a middle manager (R-C3)."""

    NONE = "", _("Not a cadre")
    MIDDLE = "middle", _("Middle manager")
    SCHOOL = "school", _("School leader")


class TeachingStage(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")


# The subjects scored in Shanghai's junior-secondary academic examination (中考, from 2022), as the SPEC's glossary
# lists them: what inflow into a weaker junior-secondary school should cover (R-C5).
EXAM_SCORED_SUBJECTS = (
    "语文",
    "数学",
    "外语",
    "道德与法治",
    "历史",
    "物理",
    "化学",
    "跨学科案例分析",
    "体育与健身",
)
SUBJECT_ALIASES = {"英语": "外语", "体育": "体育与健身", "思想品德": "道德与法治", "道法": "道德与法治"}


class RotationKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange rotation")  # 交流轮岗
    TEAM_INFLOW = "team_inflow", _("Team inflow")  # 组团流入
    SECONDMENT = "secondment", _("Secondment")  # 挂职锻炼
    SHADOWING = "shadowing", _("Shadowing practice")  # 跟岗实践
    MENTORING = "mentoring", _("Mentoring")  # 师徒带教


# Kinds by which a quality school's teachers flow into weaker schools (R-C2, R-C4), and those by which a weaker
# school's promising teachers go out to develop (R-C7).
INFLOW_KINDS = (RotationKind.EXCHANGE, RotationKind.TEAM_INFLOW)
DEVELOPMENT_KINDS = (RotationKind.SECONDMENT, RotationKind.SHADOWING, RotationKind.MENTORING)


class Duty(models.TextChoices):
    CLASS_TEACHING = "class_teaching", _("Taking whole classes")  # 包班上课
    RESEARCH_LEAD = "research_lead", _("Leading teaching research")  # 教研引领
    PROJECT = "project", _("Project work")  # 项目攻关
    EXTRA_CLASSES = "extra_classes", _("Teaching extra classes")  # 兼课
    GUIDANCE = "guidance", _("Guidance")  # 指导


def duty_names(codes: list[str]) -> str:
    """A rotation's duties as its pages show them: their names, separated by 、."""
    labels = dict(Duty.choices)
    return "、".join(str(labels.get(code, code)) for code in codes)


class RotationStatus(models.TextChoices):
    """The workflow: the sending school proposes, the cluster office agrees, the district bureau files (备案);
    a filed rotation is in progress from its start, and ends."""

    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed by the cluster")
    FILED = "filed", _("Filed with the district")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


RATED_GOOD = (Rating.EXCELLENT, Rating.GOOD)  # 考核优良


class ReturnDuty(models.TextChoices):
    TEACHING_MANAGEMENT = "teaching_management", _("Teaching management")  # 教学管理
    RESEARCH_GUIDANCE = "research_guidance", _("Teaching-research guidance")  # 教研指导
