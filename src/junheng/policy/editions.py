"""Loading the shipped editions (junheng.core.editions) into the database, for the policy app's data migrations."""

from typing import Any

from junheng.core.editions import EDITIONS


def load_editions(edition_model: Any, threshold_model: Any) -> None:
    """Creates the shipped editions that are missing; an edition already present is left as users edited it."""
    for code, spec in EDITIONS.items():
        edition, created = edition_model.objects.get_or_create(
            code=code,
            defaults={k: spec[k] for k in ("name", "document_number", "period_start", "period_end")},
        )
        if created:
            _create_thresholds(threshold_model, edition, spec["thresholds"])


def add_missing_thresholds(edition_model: Any, threshold_model: Any, keys: list[str]) -> None:
    """Adds thresholds that a later release ships to the editions created before it (in a data migration)."""
    for edition in edition_model.objects.filter(code__in=list(EDITIONS)):
        present = set(threshold_model.objects.filter(edition=edition).values_list("key", flat=True))
        wanted = [t for t in EDITIONS[edition.code]["thresholds"] if t[0] in keys and t[0] not in present]
        _create_thresholds(threshold_model, edition, wanted)


def add_shipped_notes(threshold_model: Any) -> list[Any]:
    """Gives the shipped editions' thresholds the notes a later release ships, where a row has none yet; returns
    the rows changed (for their audit record). The rows keep any value the commission has set."""
    changed = []
    for code, spec in EDITIONS.items():
        for key, *_entry, note in (t for t in spec["thresholds"] if len(t) == 7):
            for row in threshold_model.objects.filter(edition__code=code, key=key, note=""):
                row.note = note
                row.save(update_fields=["note"])
                changed.append(row)
    return changed


def _create_thresholds(threshold_model: Any, edition: Any, thresholds: Any) -> None:
    """Rows as a migration's model has them: the note is added afterwards (add_shipped_notes), since the models of
    the migrations before the note have no such field."""
    for key, value, comparator, unit, source, clause, *_note in thresholds:
        threshold_model.objects.create(
            edition=edition,
            key=key,
            value=value,
            comparator=comparator,
            unit=unit,
            source=source,
            clause=clause,
        )
