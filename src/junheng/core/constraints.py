"""A database constraint Django lacks on both our databases: periods of one owner never overlap (a teacher is in
one rotation at a time, a facility is booked once at a time).

On PostgreSQL it is an exclusion constraint over date ranges (needs the btree_gist extension, created by the
migration that adds the first such constraint). SQLite has no exclusion constraints; there two triggers refuse an
insert or an update that would overlap — SQLite runs one writer at a time, so the check cannot race. The triggers
are declared as the table's deferred SQL, so that SQLite's table rebuilds (every later ALTER) recreate them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, NotSupportedError
from django.db.backends.ddl_references import Statement, Table
from django.db.models import BaseConstraint, F, Q
from django.db.models.functions import Coalesce

OPEN_END = "9999-12-31"  # an empty end date reads as "still running"


class NonOverlapping(BaseConstraint):
    """Rows with the same `owner` have disjoint [start, end] periods, both ends included. `end` lists fields of
    which the first filled one ends the period (an actual end, else the planned one); all empty: open-ended."""

    def __init__(self, *, owner: str, start: str, end: tuple[str, ...], name: str, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.owner, self.start, self.end = owner, start, tuple(end)

    # the SQL --------------------------------------------------------------------------------------------------

    def _columns(self, model: Any, schema_editor: Any) -> tuple[str, str, list[str]]:
        column = model._meta.get_field
        quote = schema_editor.quote_name
        return (
            quote(column(self.owner).column),
            quote(column(self.start).column),
            [quote(column(name).column) for name in self.end],
        )

    def _exclusion(self, model: Any, schema_editor: Any) -> str:
        owner, start, ends = self._columns(model, schema_editor)
        return (
            f"CONSTRAINT {schema_editor.quote_name(self.name)} EXCLUDE USING gist "
            f"({owner} WITH =, daterange({start}, COALESCE({', '.join(ends)}), '[]') WITH &&)"
        )

    def _sqlite_triggers(self, model: Any, schema_editor: Any) -> list[Statement]:
        owner, start, ends = self._columns(model, schema_editor)

        def end_of(row: str) -> str:
            return f"COALESCE({', '.join(f'{row}.{e}' for e in ends)}, '{OPEN_END}')"

        clash = (
            f"EXISTS (SELECT 1 FROM %(table)s AS other WHERE other.{owner} = NEW.{owner} "
            f"AND other.{start} <= {end_of('NEW')} AND NEW.{start} <= {end_of('other')}%(same_row)s)"
        )
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
        others = model._default_manager.using(using).filter(
            **{model._meta.get_field(self.owner).attname: owner}
        )
        period_end = Coalesce(*self.end) if len(self.end) > 1 else F(self.end[0])
        others = others.annotate(_period_end=period_end)
        others = others.filter(Q(_period_end__isnull=True) | Q(_period_end__gte=start))
        if end is not None:
            others = others.filter(**{f"{self.start}__lte": end})
        return others.exclude(pk=instance.pk) if instance.pk else others

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS) -> None:
        if exclude and ({self.owner, self.start} | set(self.end)) & set(exclude):
            return
        if self.overlapping(model, instance, using).exists():
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "owner": self.owner, "start": self.start, "end": self.end}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NonOverlapping):
            return bool(self.deconstruct() == other.deconstruct())
        return bool(super().__eq__(other))
