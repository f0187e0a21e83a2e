"""What the analyst-mode programmes of the policy app share (the rotation planner, issue 15, and the layout
advisor, issue 17): the great-circle distance, a silent HiGHS and the refusal of a run; their CSV files are read
by `junheng.core.csvfiles`, which the course allocation shares.

Nothing here reads the database: analyst mode runs from the console command without the platform's apps.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

import highspy

EARTH_RADIUS_KM = 6371.0
MAX_ERRORS = 200


class Refused(Exception):
    """The run cannot go ahead; the message says why, in Chinese."""


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The great-circle distance in km on a sphere of radius 6371 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


_banner_shown = False


def new_highs() -> Any:
    """A silent HiGHS. Its first instance in a process prints a banner on standard output (where the JSON goes),
    whatever the options: that one is made with standard output pointed at nothing."""
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs
