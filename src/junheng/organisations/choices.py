from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    COMPLETE_SECONDARY = "complete_secondary", _("Complete secondary school")
    TWELVE_YEAR = "twelve_year", _("Twelve-year school")
    SPECIAL = "special", _("Special education school")


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
