"""A database constraint Django lacks on both our databases: periods of one owner never overlap (a teacher is in
one rotation at a time, a facility is booked once at a time).

On PostgreSQL it is an exclusion constraint over date or timestamp ranges (needs the btree_gist extension, created
by the migration that adds the first such constraint). SQLite has no exclusion constraints; there two triggers
refuse an insert or an update that would overlap — SQLite runs one writer at a time, so the check cannot race. The
triggers are declared as the table's deferred SQL, so that SQLite's table rebuilds (every later ALTER) recreate
them.

Two kinds of period: days, both ends included (a rotation ending on 31 August and another starting that day
overlap), and half-open [start, end) times (a booking until 10:00 and one from 10:00 do not). `when` limits the
rows that count (a booking while requested or approved; a refused or cancelled one frees its slot)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, NotSupportedError
from django.db.backends.ddl_references import Statement, Table
from django.db.models import BaseConstraint, F, Q
from django.db.models.functions import Coalesce

OPEN_END = "9999-12-31"  # an empty end date reads as "still running"
OVERLAP = "overlap"  # the code of the refusal; its params name the row it clashes with ("conflicting": pk)


class NonOverlapping(BaseConstraint):
    """Rows with the same `owner` have disjoint periods: [start, end], both ends included, or [start, end) with
    `half_open`. `end` lists fields of which the first filled one ends the period (an actual end, else the
    planned one); all empty: open-ended. `when` maps fields to the values under which a row counts; a row
    holding another value overlaps nothing."""

    def __init__(
        self,
        *,
        owner: str,
        start: str,
        end: tuple[str, ...],
        name: str,
        half_open: bool = False,
        when: dict[str, tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        self.owner, self.start, self.end = owner, start, tuple(end)
        self.half_open = half_open
        self.when = {field: tuple(values) for field, values in (when or {}).items()}

    # the SQL --------------------------------------------------------------------------------------------------

    def _columns(self, model: Any, schema_editor: Any) -> tuple[str, str, list[str]]:
        column = model._meta.get_field
        quote = schema_editor.quote_name
        return (
            quote(column(self.owner).column),
            quote(column(self.start).column),
            [quote(column(name).column) for name in self.end],
        )

    def _when_sql(self, model: Any, schema_editor: Any, row: str = "") -> str:
        """` AND` the conditions of `when` on a row (`NEW.`, `other.` or the table's own columns)."""
        return "".join(
            f" AND {row}{schema_editor.quote_name(model._meta.get_field(field).column)} IN "
            f"({', '.join(schema_editor.quote_value(value) for value in values)})"
            for field, values in self.when.items()
        )

    def _exclusion(self, model: Any, schema_editor: Any) -> str:
        owner, start, ends = self._columns(model, schema_editor)
        timed = model._meta.get_field(self.start).get_internal_type() == "DateTimeField"
        ranged = f"{'tstzrange' if timed else 'daterange'}({start}, COALESCE({', '.join(ends)}), "
        ranged += "'[)')" if self.half_open else "'[]')"
        condition = self._when_sql(model, schema_editor).removeprefix(" AND ")
        return (
            f"CONSTRAINT {schema_editor.quote_name(self.name)} EXCLUDE USING gist "
            f"({owner} WITH =, {ranged} WITH &&)" + (f" WHERE ({condition})" if condition else "")
        )

    def _sqlite_triggers(self, model: Any, schema_editor: Any) -> list[Statement]:
        owner, start, ends = self._columns(model, schema_editor)

        def end_of(row: str) -> str:
            return f"COALESCE({', '.join(f'{row}.{e}' for e in ends)}, '{OPEN_END}')"

        before = "<" if self.half_open else "<="
        clash = (
            f"EXISTS (SELECT 1 FROM %(table)s AS other WHERE other.{owner} = NEW.{owner} "
            f"AND other.{start} {before} {end_of('NEW')} AND NEW.{start} {before} {end_of('other')}"
            f"{self._when_sql(model, schema_editor, 'other.')}%(same_row)s)"
        )
        counts = self._when_sql(model, schema_editor, "NEW.").removeprefix(" AND ")
        clash = f"{counts} AND {clash}" if counts else clash  # a row that counts for nothing is not checked
        refusal = f"SELECT RAISE(ABORT, 'CHECK constraint failed: {self.name}')"
        table = Table(model._meta.db_table, schema_editor.quote_name)
        return [
            Statement(
                f"CREATE TRIGGER IF NOT EXISTS %(trigger)s BEFORE {event} ON %(table)s "
                f"WHEN {clash} BEGIN {refusal}; END",
                table=table,
                trigger=schema_editor.quote_name(f"{self.name}_{event.lower()}"),
                same_row=same_row,
            )
            for event, same_row in (("INSERT", ""), ("UPDATE", " AND other.id <> NEW.id"))
        ]

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:  # None: nothing inside CREATE TABLE
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return self._exclusion(model, schema_editor)
        if vendor == "sqlite":
            schema_editor.deferred_sql.extend(self._sqlite_triggers(model, schema_editor))
            return None
        raise NotSupportedError(f"{self.name}: no overlap check for {vendor}")

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} ADD {self._exclusion(model, schema_editor)}"  # PostgreSQL only

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} DROP CONSTRAINT {schema_editor.quote_name(self.name)}"

    # the same check in Python, so that a form names the fault before the database refuses -------------------

    def overlapping(self, model: Any, instance: Any, using: str = DEFAULT_DB_ALIAS) -> Any:
        start = getattr(instance, self.start)
        end = next((getattr(instance, e) for e in self.end if getattr(instance, e)), None)
        owner = getattr(instance, model._meta.get_field(self.owner).attname)
        if start is None or owner is None:
            return model._default_manager.none()
        if any(getattr(instance, field) not in values for field, values in self.when.items()):
            return model._default_manager.none()  # this row counts for nothing, so clashes with nothing
        others = model._default_manager.using(using).filter(
            **{model._meta.get_field(self.owner).attname: owner},
            **{f"{field}__in": values for field, values in self.when.items()},
        )
        period_end = Coalesce(*self.end) if len(self.end) > 1 else F(self.end[0])
        others = others.annotate(_period_end=period_end)
        after, before = ("gt", "lt") if self.half_open else ("gte", "lte")
        others = others.filter(Q(_period_end__isnull=True) | Q(**{f"_period_end__{after}": start}))
        if end is not None:
            others = others.filter(**{f"{self.start}__{before}": end})
        return others.exclude(pk=instance.pk) if instance.pk else others

    def refusal(self, conflicting: Any) -> ValidationError:
        """The refusal, naming the row it clashes with, so that the API can answer 409 with that row."""
        return ValidationError(
            self.get_violation_error_message(),
            code=self.violation_error_code or OVERLAP,
            params={"conflicting": conflicting.pk},
        )

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS) -> None:
        if exclude and ({self.owner, self.start} | set(self.end)) & set(exclude):
            return
        conflicting = self.overlapping(model, instance, using).order_by(self.start).first()
        if conflicting is not None:
            raise self.refusal(conflicting)

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()
        kwargs = {**kwargs, "owner": self.owner, "start": self.start, "end": self.end}
        if self.half_open:  # left out when off, so that earlier constraints deconstruct as they were written
            kwargs["half_open"] = True
        if self.when:
            kwargs["when"] = self.when
        return path, args, kwargs

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NonOverlapping):
            return bool(self.deconstruct() == other.deconstruct())
        return bool(super().__eq__(other))
