"""The platform's one form of dates (see junheng.formats)."""

from junheng.formats import *  # noqa: F403
