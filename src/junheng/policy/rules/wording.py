"""Findings in words: every measured value as a labelled Chinese line with its unit, every threshold as
“不少于 3 人”. The rules declare what they measure (Rule.measures) and what they limit (Rule.limits); a key a
rule does not declare (a finding of an older release) still reads, under its key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from junheng.core.editions import ThresholdValue

from .base import CATALOG, Limit, Measure

NONE = "—"
UNIT_WORDS = {"月": "个月"}  # "不超过 18 个月" rather than "18 月"


def finding_heading(rule: str, threshold: dict[str, Any]) -> str:
    """The rule's name with the numbers the finding used (the code alone for a rule no longer in the catalog)."""
    if rule not in CATALOG:
        return rule
    used = {
        key: ThresholdValue(key, None if t.get("value") is None else Decimal(str(t["value"])), "", "", "", "")
        for key, t in threshold.items()
    }
    return CATALOG[rule].heading(used)


def in_rule_order(values: dict[str, Any], keys: Any) -> list[tuple[str, Any]]:
    """The entries in the order the rule declares them: PostgreSQL's jsonb keeps a finding's keys in its own
    order, not in the order they were written."""
    place = {key: index for index, key in enumerate(keys)}
    return sorted(values.items(), key=lambda item: place.get(item[0], len(place)))


def measured_lines(rule: str, measured: dict[str, Any]) -> list[str]:
    measures = CATALOG[rule].measures if rule in CATALOG else {}
    lines: list[str] = []
    for key, value in in_rule_order(measured, measures):
        measure = measures.get(key) or Measure(key, kind=_guess(value))
        if measure.each is not None and isinstance(value, dict):
            lines.append(f"{measure.label}：" + ("" if value else NONE))
            lines.extend(f"　{_entry_name(measure, k)}：{_entry(measure.each, v)}" for k, v in value.items())
        else:
            lines.append(f"{measure.label}：{reading(measure, value)}")
    return lines


def threshold_lines(rule: str, threshold: dict[str, Any]) -> list[str]:
    limits = CATALOG[rule].limits if rule in CATALOG else {}
    lines = []
    for key, limit in in_rule_order(threshold, CATALOG[rule].keys if rule in CATALOG else ()):
        found = limits.get(key) or Limit(key)
        if limit.get("value") is None:
            line = str(found.label)  # a requirement without a number: its label says it
        else:
            line = f"{found.label}：{limit_text(limit, share=found.share)}"
        lines.append(f"{line}（{limit['note']}）" if limit.get("note") else line)
    return lines


def limit_text(limit: dict[str, Any], share: bool = False) -> str:
    """“不少于 3 人”, “低于 0.15”, “不低于 50%” from a threshold as a finding keeps it."""
    value, unit = Decimal(str(limit["value"])), limit.get("unit") or ""
    words = {
        "gte": _("at least (people, times)") if unit and unit != "分" else _("not below"),
        "lte": _("not more than"),
        "lt": _("below (a number)"),
    }.get(limit.get("comparator", ""), limit.get("comparator", ""))
    number = f"{(value * 100).normalize():f}%" if share else f"{value.normalize():f}"
    unit = UNIT_WORDS.get(unit, unit)
    return f"{words} {number}" + (f" {unit}" if unit else "")


def reading(measure: Measure, value: Any) -> str:
    if value is None or value == [] or value == "":
        return NONE
    kind = measure.kind
    if kind == "count":
        return f"{value} {measure.unit}".strip()
    if kind == "share":
        return f"{float(value) * 100:.1f}%"
    if kind == "yesno" or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind == "choice" and measure.choices is not None:
        return str(dict(measure.choices.choices).get(value, value))
    if kind == "list":
        name = measure.key_label or str
        return "、".join(name(item) for item in value)
    if kind == "number" and isinstance(value, (int, float, Decimal)):
        rounded = f"{float(value):.{measure.digits}f}"
        return f"{rounded} {measure.unit}".strip()
    return str(value)  # dates (kept as YYYY-MM-DD), years, text


def _entry(each: Any, value: Any) -> str:
    if isinstance(each, dict):
        if not isinstance(value, dict):
            return reading(Measure("", kind=_guess(value)), value)
        return "，".join(
            f"{(each.get(k) or Measure(k)).label} {reading(each.get(k) or Measure(k, kind=_guess(v)), v)}"
            for k, v in value.items()
        )
    return str(reading(each, value))


def _entry_name(measure: Measure, key: str) -> str:
    return str(measure.key_label(key)) if measure.key_label else key


def _guess(value: Any) -> str:
    if isinstance(value, bool):
        return "yesno"
    if isinstance(value, list):
        return "list"
    return "number" if isinstance(value, float) else "text"
