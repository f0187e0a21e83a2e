"""What the apps below policy read of it, through junheng.core.editions (settings.JUNHENG_THRESHOLDS_PROVIDER)."""

from __future__ import annotations

from datetime import date

from junheng.core.editions import ThresholdValue, in_force_first, shipped_thresholds_on

from .models import PolicyEdition


def thresholds_in_force(day: date, keys: list[str]) -> dict[str, ThresholdValue]:
    """Each key from the edition in force on the day (as the commission has edited it); a key no edition in the
    database holds comes from the shipped editions."""
    editions = in_force_first(PolicyEdition.objects.prefetch_related("thresholds"), day)
    found: dict[str, ThresholdValue] = {}
    for key in keys:
        for edition in editions:
            threshold = next((t for t in edition.thresholds.all() if t.key == key), None)
            if threshold is not None:
                found[key] = ThresholdValue(
                    key,
                    threshold.value,
                    threshold.comparator,
                    threshold.unit,
                    threshold.source,
                    threshold.clause,
                    edition=edition.code,
                )
                break
    missing = [key for key in keys if key not in found]
    return {**found, **shipped_thresholds_on(day, missing)} if missing else found
