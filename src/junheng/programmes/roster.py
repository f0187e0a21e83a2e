"""The official roster of the hand-in-hand plan (S1 attachment): read it from the notice or a workbook, check every
row, and save rounds, organisations and pairings in one transaction.

Both sources become the same tables of raw cells; the rules of the attachment are applied once, in `parse_tables`:
a blank district or unit cell means "same as the row above" (merged cells in the original), a name broken over
lines is one name, and spaces around names are not part of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from junheng.core.imports import ImportFailed, RowError, check_upload, decode_text, open_workbook_checked
from junheng.core.services import object_save
from junheng.organisations.choices import InstitutionKind, Ownership, stage_from_name
from junheng.organisations.models import District, Institution, School
from junheng.organisations.reference import DistrictResolver

from .choices import PairingKind
from .models import Pairing, ProgrammeRound

SEQUENCE, SUPPORTED_DISTRICT, SUPPORTED_SCHOOL = "sequence", "supported_district", "supported_school"
SUPPORTING_DISTRICT, SUPPORTING_UNIT, PROJECT_TITLE = (
    "supporting_district",
    "supporting_unit",
    "project_title",
)

# The attachment's columns, in its order, for each part.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    PairingKind.ENTRUSTED: [
        ("序号", SEQUENCE),
        ("受援区", SUPPORTED_DISTRICT),
        ("受援学校", SUPPORTED_SCHOOL),
        ("支援区", SUPPORTING_DISTRICT),
        ("支援单位", SUPPORTING_UNIT),
    ],
    PairingKind.MUTUAL_GROWTH: [
        ("序号", SEQUENCE),
        ("区域", SUPPORTED_DISTRICT),
        ("学校名称", SUPPORTED_SCHOOL),
        ("合作单位", SUPPORTING_UNIT),
        ("项目名称", PROJECT_TITLE),
    ],
}
# Merged cells in the original table: a blank here repeats the row above.
FILLED_DOWN = {SUPPORTED_DISTRICT, SUPPORTING_DISTRICT, SUPPORTING_UNIT}
REQUIRED = {SEQUENCE, SUPPORTED_DISTRICT, SUPPORTED_SCHOOL, SUPPORTING_UNIT, PROJECT_TITLE}

SCHOOL_SUFFIXES = ("小学", "中学", "学校", "校", "附中", "附小")
INSTITUTION_KINDS = [
    ("学会", InstitutionKind.EDUCATION_SOCIETY),
    ("研究所", InstitutionKind.RESEARCH_INSTITUTE),
    ("研究中心", InstitutionKind.RESEARCH_INSTITUTE),
    ("评估中心", InstitutionKind.ASSESSMENT_OFFICE),
    ("事务所", InstitutionKind.ASSESSMENT_OFFICE),
    ("咨询中心", InstitutionKind.CONSULTING_CENTRE),
    ("培训中心", InstitutionKind.TRAINING_CENTRE),
    ("中心", InstitutionKind.OTHER),
]

DEFAULT_ROUND = {
    "name": "第二轮义务教育城乡学校携手共进计划（2021-2023年）",
    "document_number": "沪教委基〔2021〕4号",
    "start_date": date(2021, 1, 1),
    "end_date": date(2023, 12, 31),
}


@dataclass
class SourceTable:
    """One part of the roster as read: raw cells with the row numbers a person would look up."""

    sheet: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class RosterEntry:
    kind: str
    sequence: int
    supported_district: District
    supported_school: str
    supporting_unit: str
    supporting_district: District | None
    project_title: str
    sheet: str
    row: int


def clean_name(text: str | None) -> str:
    """A name broken over lines is one name; Chinese names hold no spaces."""
    return re.sub(r"\s+", "", text or "")


def clean_title(text: str | None) -> str:
    """Lines are joined; a run of spaces inside a title stays one space."""
    joined = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "", text or "")
    return re.sub(r"[ \t\u3000]+", " ", joined).strip()


# Reading ---------------------------------------------------------------------------------------------------------

SECTION = re.compile(r"^[一二三四五六七八九十]+、")


def read_notice(text: str, source: str) -> list[SourceTable]:
    """The attachment of the notice: after the line 附件, each part is a section of rows, one tab-led line per cell;
    a line without the tab continues the cell above; a blank line ends a row."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "附件"]
    if not starts:
        raise ImportFailed(
            [RowError(source, None, None, _("The notice has no attachment (no line “附件”)."))]
        )
    tables: list[SourceTable] = []
    rows: list[tuple[int, list[str]]] = []
    current: tuple[int, list[str]] | None = None

    def end_row() -> None:
        nonlocal current
        if current is not None:
            rows.append(current)
            current = None

    def end_table() -> None:
        end_row()
        if tables and rows:
            header_row, header = rows[0]
            tables[-1].header, tables[-1].header_row, tables[-1].rows = header, header_row, rows[1:]
        rows.clear()

    for number, line in enumerate(lines[starts[0] + 1 :], start=starts[0] + 2):
        if SECTION.match(line.strip()) and not line.startswith("\t"):
            end_table()
            tables.append(SourceTable(sheet=line.strip(), header=[], header_row=number))
        elif line.startswith("\t"):
            if current is None:
                current = (number, [])
            current[1].append(line[1:])
        elif line.strip() and current is not None:
            current[1][-1] += "\n" + line
        else:
            end_row()
    end_table()
    return [t for t in tables if t.header]


def read_workbook(stream: Any, source: str) -> list[SourceTable]:
    """One sheet per part; a title row above the header is allowed; merged cells read as blanks below their top."""
    workbook = open_workbook_checked(stream, source)
    tables = []
    for sheet in workbook.worksheets:
        values = [
            (number, ["" if v is None else str(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        header_at = next(
            (i for i, (_n, cells) in enumerate(values) if "序号" in map(clean_name, cells)), None
        )
        if header_at is None:
            raise ImportFailed([RowError(sheet.title, None, None, _("No header row with “序号” was found."))])
        header_row, header = values[header_at]
        body = [(n, cells) for n, cells in values[header_at + 1 :] if any(c.strip() for c in cells)]
        tables.append(SourceTable(sheet=sheet.title, header=header, header_row=header_row, rows=body))
    return tables


def read_roster_file(path: Path) -> list[SourceTable]:
    data = path.read_bytes()
    suffix = check_upload(path.name, len(data), data[:4], {".txt", ".xlsx"})
    if suffix == ".xlsx":
        import io

        return read_workbook(io.BytesIO(data), path.name)
    return read_notice(decode_text(path.name, data), path.name)


# Checking --------------------------------------------------------------------------------------------------------


def _kind_of(table: SourceTable) -> tuple[str | None, RowError | None]:
    header = [clean_name(h) for h in table.header]
    while header and not header[-1]:
        header.pop()
    for kind, columns in COLUMNS.items():
        if header == [label for label, _key in columns]:
            return kind, None
    expected = " / ".join("、".join(label for label, _k in cols) for cols in COLUMNS.values())
    return None, RowError(
        table.sheet,
        table.header_row,
        None,
        _("The header row is “%(found)s”; expected the columns of one part of the roster: %(expected)s.")
        % {"found": "、".join(header), "expected": expected},
    )


def parse_tables(tables: list[SourceTable], districts: DistrictResolver) -> list[RosterEntry]:
    """Every row checked; all errors are collected and raised together."""
    errors: list[RowError] = []
    entries: list[RosterEntry] = []
    for table in tables:
        kind, error = _kind_of(table)
        if error or kind is None:
            errors.extend([error] if error else [])
            continue
        above: dict[str, str] = {}
        sequences: set[int] = set()
        for row_number, cells in table.rows:
            entry, row_errors = _parse_row(table.sheet, kind, row_number, cells, above, districts)
            if entry is not None and entry.sequence in sequences:
                message = _("Sequence %(n)s appears twice in this part.") % {"n": entry.sequence}
                entry, row_errors = None, [RowError(table.sheet, row_number, COLUMNS[kind][0][0], message)]
            if entry is not None:
                sequences.add(entry.sequence)
                entries.append(entry)
            errors.extend(row_errors)
    if not entries and not errors:
        errors.append(RowError("", None, None, _("The file holds no roster rows.")))
    errors.extend(_conflicting_unit_districts(entries))
    if errors:
        raise ImportFailed(errors)
    return entries


def _parse_row(
    sheet: str,
    kind: str,
    row_number: int,
    cells: list[str],
    above: dict[str, str],
    districts: DistrictResolver,
) -> tuple[RosterEntry | None, list[RowError]]:
    """One row's values, blanks filled from `above` (which this updates), or the errors that stop it."""
    label_of = {key: label for label, key in COLUMNS[kind]}
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(sheet, row_number, label_of[key], message))

    values: dict[str, str] = {}
    for index, (_label, key) in enumerate(COLUMNS[kind]):
        raw = cells[index] if index < len(cells) else ""
        value = clean_title(raw) if key == PROJECT_TITLE else clean_name(raw)
        values[key] = value or (above.get(key, "") if key in FILLED_DOWN else "")
        if not values[key] and key in REQUIRED:
            fail(key, _("This cell is empty."))
    above.update({k: v for k, v in values.items() if k in FILLED_DOWN and v})

    sequence = values[SEQUENCE]
    if sequence and not sequence.isdigit():
        fail(SEQUENCE, _("“%(value)s” is not a sequence number.") % {"value": sequence})
    resolved: dict[str, District | None] = {}
    for key in (SUPPORTED_DISTRICT, SUPPORTING_DISTRICT):
        resolved[key] = districts.resolve(values[key]) if values.get(key) else None
        if values.get(key) and resolved[key] is None:
            fail(key, _("“%(value)s” is not a district of Shanghai.") % {"value": values[key]})
    unit = values[SUPPORTING_UNIT]
    if unit and unit_kind(unit) is None:
        fail(
            SUPPORTING_UNIT,
            _("Cannot tell whether “%(name)s” is a school or an institution.") % {"name": unit},
        )
    supported_district = resolved[SUPPORTED_DISTRICT]
    if errors or supported_district is None:
        return None, errors
    return RosterEntry(
        kind=kind,
        sequence=int(sequence),
        supported_district=supported_district,
        supported_school=values[SUPPORTED_SCHOOL],
        supporting_unit=unit,
        supporting_district=resolved[SUPPORTING_DISTRICT],
        project_title=values.get(PROJECT_TITLE, ""),
        sheet=sheet,
        row=row_number,
    ), []


def _conflicting_unit_districts(entries: list[RosterEntry]) -> list[RowError]:
    """A unit named in several rows is one unit, so it cannot lie in two districts."""
    first: dict[str, RosterEntry] = {}
    errors = []
    for entry in entries:
        if entry.supporting_district is None:
            continue
        earlier = first.setdefault(entry.supporting_unit, entry)
        if earlier.supporting_district != entry.supporting_district:
            errors.append(
                RowError(
                    entry.sheet,
                    entry.row,
                    None,
                    _("“%(unit)s” is in %(d1)s in row %(r1)d but in %(d2)s here.")
                    % {
                        "unit": entry.supporting_unit,
                        "d1": earlier.supporting_district,
                        "r1": earlier.row,
                        "d2": entry.supporting_district,
                    },
                )
            )
    return errors


def unit_kind(name: str) -> str | None:
    """'school', an InstitutionKind, or None when the name says neither."""
    if name.endswith(SCHOOL_SUFFIXES):
        return "school"
    return next((kind for suffix, kind in INSTITUTION_KINDS if name.endswith(suffix)), None)


# Saving ----------------------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Organisations:
    """One record per distinct school or unit, found again by name on every run."""

    def __init__(self, actor: Any, districts: DistrictResolver, entries: list[RosterEntry]) -> None:
        self.actor = actor
        self.districts = districts
        self.unit_district = {
            e.supporting_unit: e.supporting_district for e in entries if e.supporting_district
        }

    def school(self, name: str, district: District | None) -> School:
        ownership = Ownership.PRIVATE if name.startswith("民办") else Ownership.PUBLIC
        stage = stage_from_name(name)
        school: School = self._find_or_create(School, name, district, ownership=ownership, stage=stage)
        if stage and not school.stage:  # a school imported before stages were read from names; an edit stays
            school.stage = stage
            object_save(actor=self.actor, instance=school, reason=_("Official roster"), check_scope=False)
        return school

    def supporting_unit(self, name: str) -> School | Institution:
        district = self.unit_district.get(name) or self.districts.from_name_prefix(name)
        kind = unit_kind(name)
        if kind == "school":
            return self.school(name, district)
        institution: Institution = self._find_or_create(Institution, name, district, kind=kind)
        return institution

    def _find_or_create(self, model: Any, name: str, district: District | None, **defaults: Any) -> Any:
        """By name and district; a unit whose district the roster does not give is the one record of that name."""
        same_name = model.objects.filter(name=name)
        found = same_name.filter(district=district).first()
        if found is None and district is None and same_name.count() == 1:
            found = same_name.get()
        if found is None:
            found = object_save(
                actor=self.actor,
                instance=model(name=name, district=district, **defaults),
                reason=_("Official roster"),
                check_scope=False,
            )
        return found


@transaction.atomic
def roster_import(
    *, actor: Any, tables: list[SourceTable], round_fields: dict[str, Any] | None = None
) -> ImportSummary:
    """Saves the roster; any error leaves the database as it was. A second run with the same file changes nothing."""
    districts = DistrictResolver()
    entries = parse_tables(tables, districts)
    fields = {**DEFAULT_ROUND, **(round_fields or {})}
    programme_round = ProgrammeRound.objects.filter(name=fields["name"]).first()
    if programme_round is None:
        programme_round = object_save(
            actor=actor, instance=ProgrammeRound(**fields), reason=_("Official roster"), check_scope=False
        )
    organisations = _Organisations(actor, districts, entries)
    summary = ImportSummary()
    errors = []
    for entry in entries:
        try:
            _save_entry(actor, programme_round, organisations, entry, summary)
        except ValidationError as refused:
            errors.append(RowError(entry.sheet, entry.row, None, "；".join(refused.messages)))
    if errors:
        raise ImportFailed(errors)  # leaving the atomic block undoes the rows saved before
    return summary


def _save_entry(
    actor: Any,
    programme_round: ProgrammeRound,
    organisations: _Organisations,
    entry: RosterEntry,
    summary: ImportSummary,
) -> None:
    supported = organisations.school(entry.supported_school, entry.supported_district)
    unit = organisations.supporting_unit(entry.supporting_unit)
    wanted = {
        "supported_school": supported,
        "supporting_school": unit if isinstance(unit, School) else None,
        "supporting_institution": unit if isinstance(unit, Institution) else None,
        "project_title": entry.project_title,
    }
    pairing = Pairing.objects.filter(round=programme_round, kind=entry.kind, sequence=entry.sequence).first()
    if pairing is None:
        pairing = Pairing(round=programme_round, kind=entry.kind, sequence=entry.sequence)
        summary.created += 1
    elif all(getattr(pairing, name) == value for name, value in wanted.items()):
        summary.unchanged += 1
        return
    else:
        summary.updated += 1
    for name, value in wanted.items():
        setattr(pairing, name, value)
    object_save(actor=actor, instance=pairing, reason=_("Official roster"), check_scope=False)


def round_fields_from_notice(text: str) -> dict[str, Any]:
    """The document number and period as the notice states them, where it states them."""
    fields: dict[str, Any] = {}
    if number := re.search(r"沪教委基〔\d{4}〕\d+号", text):
        fields["document_number"] = number.group(0)
    if period := re.search(r"（(\d{4})-(\d{4})年）", text):
        first, last = int(period.group(1)), int(period.group(2))
        fields.update(start_date=date(first, 1, 1), end_date=date(last, 12, 31))
    return fields
