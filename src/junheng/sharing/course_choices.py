"""The choices of shared courses and their cross-school enrolment (R-D1, R-D3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """A subject course, or one of the activities S2 二(三)1 names for cross-school choice."""

    SUBJECT = "subject", _("Subject course")
    AFTER_SCHOOL = "after_school", _("After-school service")
    STUDY_TRIP = "study_trip", _("Study trip")
    SCIENCE_LAB = "science_lab", _("Science and innovation lab")
    FEATURED = "featured", _("Featured course")


class SemesterNumber(models.IntegerChoices):
    FIRST = 1, _("First semester")
    SECOND = 2, _("Second semester")


class RoundStatus(models.TextChoices):
    """An enrolment round takes applications while open; the cluster office closes it, then allocates."""

    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed, not yet allocated")
    ALLOCATED = "allocated", _("Allocated")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("Waiting")
    WITHDRAWN = "withdrawn", _("Withdrawn")
