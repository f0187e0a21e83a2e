"""Bulk data in for sharing, found by the platform at start-up (core.apps autodiscovers `imports`); each kind keeps
its sheet in a module of its own."""

from .facility_imports import FACILITY_IMPORTS

IMPORTS = {**FACILITY_IMPORTS}
