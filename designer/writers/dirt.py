"""What dirt on purpose means for a target: the constraints it would break, and the report of it.

A database that enforces a declared constraint would refuse dirty rows in the middle of a load:
the export refuses first, in one line naming the dirt, unless constraints are off
(`--no-constraints`). The dirt report (`--dirt-report PATH`) lists every dirty cell: the
table, the row (its place among the rows written, from 0), the column, the kind of dirt, the
clean value and the dirty one as text, and for a duplicate the row it copies.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import polars as pl

from ..errors import ExportError
from .atomic import remove_quietly, temp_path
from .base import TableSpec, Target

ENFORCING = ("sqlite", "postgres", "duckdb", "mysql")
"""The formats that check declared keys and references on load."""

REPORT_SCHEMA = {
    "table": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "kind": pl.String,
    "clean": pl.String,
    "dirty": pl.String,
    "copy_of": pl.Int64,
}


def without_constraints(specs: list[TableSpec]) -> list[TableSpec]:
    """The tables with no keys, no UNIQUE and no foreign keys (NOT NULL stays: dirt adds no null
    where a column is declared NOT NULL)."""
    return [
        dataclasses.replace(
            s,
            primary_key=None,
            composite_key=(),
            unique_together=(),
            columns=tuple(dataclasses.replace(c, unique=False, references=None) for c in s.columns),
        )
        for s in specs
    ]


def refuse_broken_constraints(design, specs: list[TableSpec], target: Target) -> None:
    """Raise ExportError, one line, where the design's dirt breaks a constraint the target
    declares and enforces. `specs` are under the design's names."""
    if target.format not in ENFORCING:
        return
    referenced = {c.references for s in specs for c in s.columns if c.references}
    for spec in specs:
        ent = design.entities[spec.name]
        keyed = set(spec.key_columns) | {c.name for c in spec.columns if c.unique}
        keyed |= {n for group in spec.unique_together for n in group}
        rows = ent.dirty
        for kind in ("duplicates", "near_duplicates"):
            if rows is not None and getattr(rows, kind) and keyed:
                _refuse(
                    f"entities.{spec.name}.dirty.{kind}", f"copied rows repeat the key or unique columns of {spec.name}", target
                )
        for column in spec.columns:
            dirt = ent.fields[column.name].dirty if column.name in ent.fields else None
            orphans = rows.orphans.get(column.name) if rows is not None else None
            if orphans and column.references:
                to = ".".join(column.references)
                _refuse(f"entities.{spec.name}.dirty.orphans.{column.name}", f"orphans break the foreign key to {to}", target)
            if dirt is None or not dirt.rates():
                continue
            only_nulls = set(dirt.rates()) == {"nulls"}
            why = (
                "the primary key"
                if column.name in spec.key_columns
                else None
                if only_nulls  # SQL's NULLs are distinct and point nowhere: a unique or a reference takes them
                else "a unique constraint"
                if column.name in keyed
                else f"the foreign key to {'.'.join(column.references)}"
                if column.references
                else "a foreign key pointing at it"
                if (spec.name, column.name) in referenced
                else None
            )
            if why:
                _refuse(f"entities.{spec.name}.fields.{column.name}.dirty", f"dirty values break {why}", target)


def _refuse(path: str, why: str, target: Target) -> None:
    raise ExportError(f"{why}, which {target.format} enforces; pass --no-constraints to load it without them", path=path)


class DirtReport:
    """The dirt report's rows, gathered block by block, written under a temporary name beside
    PATH and renamed into place only after the export's own commit."""

    def __init__(self, path: str | Path, replace: bool = False):
        self.path = Path(path)
        if self.path.exists() and not replace:
            raise ExportError(f"{self.path}: exists; pass --if-exists replace to write it again")
        if self.path.is_dir():
            raise ExportError(f"{self.path}: is a directory; name a .csv or .parquet file")
        if not self.path.parent.is_dir():
            raise ExportError(f"{self.path}: the directory {self.path.parent} does not exist")
        self._parts: list[pl.DataFrame] = []
        self._staged: Path | None = None

    def add(self, table: str, offset: int, labels: pl.DataFrame, columns: dict[str, str]) -> None:
        """An entity block's labels (rows counted in the block), its rows starting at `offset`."""
        if not labels.height:
            return
        self._parts.append(
            labels.select(
                pl.lit(table).alias("table"),
                pl.col("row") + offset,
                pl.col("field").replace(columns).alias("column"),
                "kind",
                "clean",
                "dirty",
                pl.col("copy_of") + offset,
            )
        )

    def stage(self) -> None:
        """Write the report under its temporary name."""
        frame = pl.concat(self._parts) if self._parts else pl.DataFrame(schema=REPORT_SCHEMA)
        self._staged = temp_path(self.path)
        try:
            with open(self._staged, "xb") as out:  # Python's open: its errors say what failed in one line
                if self.path.suffix.lower() == ".parquet":
                    frame.write_parquet(out)
                else:
                    frame.write_csv(out)
        except OSError as error:
            self.abort()
            raise ExportError(f"{self.path}: {error.strerror or error}") from None

    def commit(self) -> None:
        if self._staged is not None:
            os.replace(self._staged, self.path)
            self._staged = None

    def abort(self) -> None:
        if self._staged is not None:
            remove_quietly(self._staged)
            self._staged = None
