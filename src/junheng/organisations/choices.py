from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    COMPLETE_SECONDARY = "complete_secondary", _("Complete secondary school")
    TWELVE_YEAR = "twelve_year", _("Twelve-year school")
    SPECIAL = "special", _("Special education school")


# What a school's name says of its stage, most specific first. A name ending in 学校 or 附中 says nothing, and a
# senior high school (高级中学) has no compulsory-education stage.
_STAGE_IN_NAME: list[tuple[str, str]] = [
    ("十二年一贯制", Stage.TWELVE_YEAR),
    ("一贯制", Stage.NINE_YEAR),  # 九年一贯制, or 一贯制 alone in a compulsory-education school's name
    ("完全中学", Stage.COMPLETE_SECONDARY),
]
_STAGE_SUFFIXES: list[tuple[str, str]] = [
    ("高级中学", ""),
    ("高中", ""),
    ("初级中学", Stage.JUNIOR),
    ("初中", Stage.JUNIOR),
    ("中学", Stage.JUNIOR),
    ("小学", Stage.PRIMARY),
    ("附小", Stage.PRIMARY),
    ("中心校", Stage.PRIMARY),  # a township's central primary school
]


def stage_from_name(name: str) -> str:
    """The Stage a school's name states, or "" when the name does not say."""
    found = next((stage for word, stage in _STAGE_IN_NAME if word in name), None)
    if found is None:
        found = next((stage for suffix, stage in _STAGE_SUFFIXES if name.endswith(suffix)), "")
    return str(found)


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class InstitutionKind(models.TextChoices):
    EDUCATION_SOCIETY = "education_society", _("Education society")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    CONSULTING_CENTRE = "consulting_centre", _("Consulting centre")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    ASSESSMENT_OFFICE = "assessment_office", _("Assessment office")
    OTHER = "other", _("Other")


class ClusterKind(models.TextChoices):
    ZONE = "zone", _("School zone")
    GROUP = "group", _("Education group")


class ModelStatus(models.TextChoices):
    NONE = "none", _("Not a model cluster")
    CREATING = "creating", _("Creating model status")
    ACCREDITED = "accredited", _("Accredited model cluster")


class Tier(models.TextChoices):
    QUALITY = "quality", _("Quality school")
    WEAKER = "weaker", _("Weaker school")


class Role(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal commission")
    DISTRICT_BUREAU = "district_bureau", _("District bureau")
    CLUSTER_OFFICE = "cluster_office", _("Cluster office")
    SCHOOL = "school", _("School")
    SUPPORTING_UNIT = "supporting_unit", _("Supporting unit")
    EXPERT = "expert", _("Expert")
    TEACHER = "teacher", _("Teacher")


class GovernanceKind(models.TextChoices):
    """The documents and systems of a cluster's governance (S2 二(一)2), in the order the clause names them."""

    CHARTER = "charter", _("Charter or agreement")
    RULES_OF_PROCEDURE = "rules_of_procedure", _("Rules of procedure")
    DECISION_PROCEDURE = "decision_procedure", _("Decision procedure")
    COORDINATION = "coordination", _("Coordination mechanism")
    COUNCIL = "council", _("Council or management committee")
    WORK_MEETINGS = "work_meetings", _("Work-meeting system")
    CURRICULUM = "curriculum", _("Curriculum coordination system")
    JOINT_RESEARCH = "joint_research", _("Joint research system")
    TEACHER_FLOW = "teacher_flow", _("Teacher flow system")
    INTERNAL_ASSESSMENT = "internal_assessment", _("Internal assessment system")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    REVISED = "revised", _("Revised")


class ChangeKind(models.TextChoices):
    JOIN = "join", _("Joins")
    LEAVE = "leave", _("Leaves")
    TIER = "tier", _("Changes tier")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
