"""Bulk data in for sharing, found by the platform at start-up (core.apps autodiscovers `imports`); each kind keeps
its sheet in a module of its own."""

from .course_imports import IMPORTS as COURSE_IMPORTS
from .facility_imports import FACILITY_IMPORTS
from .research_imports import IMPORTS as RESEARCH_IMPORTS

IMPORTS = {**COURSE_IMPORTS, **FACILITY_IMPORTS, **RESEARCH_IMPORTS}
