"""The metrics as a person reads them: sheets with Chinese headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cluster": _("cluster"),
    "stage": _("stage"),
    "subject": _("subject"),
    "district_code": _("district code"),
    "school_code": _("school code"),
    "schools": _("schools"),
    "students": _("students"),
    "mean": _("mean score"),
    "sd": _("standard deviation"),
    "pass_share": _("share at pass level or above"),
    "change": _("change on last year"),
    "value_added": _("value added"),
    "between_school_share": _("between-school share of variance"),
    "weighted_cv": _("weighted coefficient of variation"),
    "district_pass_share": _("district's share at pass level or above"),
    "weaker_schools_improved": _("weaker schools improved"),
    "meets_model_standard": _("meets the model standard"),
}
SHEETS = (("clusters", _("Clusters")), ("schools", _("Schools")), ("districts", _("Districts")))


def metric_sheets(result: dict[str, Any]) -> Iterator[tuple[str, list[list[Any]]]]:
    for key, title in SHEETS:
        rows = result[key]
        columns = list(rows[0]) if rows else []
        yield (
            f"{result['year']} {title}",
            [[str(LABELS.get(c, c)) for c in columns], *([_cell(row[c]) for c in columns] for row in rows)],
        )


def _cell(value: Any) -> Any:
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    return value
