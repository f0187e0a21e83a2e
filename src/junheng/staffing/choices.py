from django.db import models
from django.utils.translation import gettext_lazy as _


class BackboneTier(models.TextChoices):
    """Backbone-teacher tiers, highest first (特级 > 正高级 > 市级学科带头人 > 区级学科带头人/区骨干 > 校级骨干)."""

    NONE = "", _("Not a backbone teacher")
    SPECIAL_GRADE = "special_grade", _("Special-grade teacher")
    SENIOR_PROFESSOR = "senior_professor", _("Senior professor-level teacher")
    MUNICIPAL_LEADER = "municipal_leader", _("Municipal subject leader")
    DISTRICT_LEADER = "district_leader", _("District subject leader or backbone")
    SCHOOL_BACKBONE = "school_backbone", _("School backbone teacher")
