"""The choices of the resource library (R-D2, R-D4) and of the cluster's student activities (R-D9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    """What a shared teaching resource is (S2 二(三)1: 课程教学资源共建共享)."""

    COURSEWARE = "courseware", _("Courseware")
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    MICRO_LESSON = "micro_lesson", _("Micro-lesson")
    EXERCISES = "exercises", _("Exercises")
    COURSE_PACKAGE = "course_package", _("Course package")
    OTHER = "other", _("Other resource")


class EventKind(models.TextChoices):
    """The cross-school student activities S2 二(三)3 names."""

    PRACTICE = "practice", _("Comprehensive practice activity")
    SHOWCASE = "showcase", _("Showcase of all-round development")
    EXCHANGE = "exchange", _("Student exchange")


STARS = [(n, str(n)) for n in range(1, 6)]  # a rating's 1 to 5

# What a resource's file may be: the evidence types, each checked against its signature (a micro-lesson's video is
# shared as a link: a video's content cannot be checked by its first bytes).
RESOURCE_SUFFIXES = ["pdf", "docx", "xlsx", "pptx", "jpg", "jpeg", "png"]
IMAGE_SUFFIXES = ["jpg", "jpeg", "png"]
