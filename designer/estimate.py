"""What an export will write, before it runs: rows per entity, and for a format its size on disk
and time, measured on this machine (`designer validate`, `designer export --dry-run`).

Rows are not guessed: the block layout draws every parent row's count of children up front (it
is how an export knows its totals for the progress bar), so they are the rows the export writes.
Beyond EXACT_ROWS root rows (drawing those counts would take minutes at 10^10), a child's rows
are its parent's times the mean of its count distribution (over the parent's variants).
Size and time come from writing a sample, each root's first block (its first BLOCK_ROWS rows and
their children, the rows the export starts with), to a temporary place in the chosen format, then
scaling each table's bytes by its rows. A dataset no larger than the sample is measured whole.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import pipeline
from .engine import Run
from .engine.seeding import BLOCK_ROWS
from .model import Design
from .model.domains import mean_per_parent
from .writers import resolve_target

NOT_MEASURED = ("postgres", "mysql")  # a dry run writes to no server: rows only
EXACT_ROWS = 20_000_000  # root rows whose children's counts are drawn to count them: about half a second


@dataclass(frozen=True)
class EntityEstimate:
    name: str
    rows: int
    parent: str | None
    per_parent: float | None  # a child's mean rows per parent row (the mean of its count distribution, as drawn)
    bytes: int | None  # on disk in the chosen format; None without a format or for a database server


@dataclass(frozen=True)
class Estimate:
    entities: list[EntityEstimate]
    fmt: str | None
    seconds: float | None  # the whole export, extrapolated from the sample's
    sample_rows: int  # rows written for the measurement (0: nothing measured)
    total_bytes: int | None  # a database file is one file: its size, not a sum of tables

    @property
    def rows(self) -> int:
        return sum(e.rows for e in self.entities)

    def of(self, entity: str) -> EntityEstimate:
        return next(e for e in self.entities if e.name == entity)


def estimate(
    design: Design,
    *,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    seed: int | None = None,
    entities: list[str] | None = None,
    fmt: str | None = None,
    sample_root_rows: int = BLOCK_ROWS,
) -> Estimate:
    plan = pipeline.plan_for(design, rows=rows, scale=scale, seed=seed)
    chosen = pipeline.chosen_entities(plan, entities)
    every = _rows(plan)
    totals = {e: every[e] for e in chosen}
    parents = {e: p.entity if (p := plan.design.entities[e].parent) is not None else None for e in chosen}
    per_parent: dict[str, float | None] = {}
    for e, parent in parents.items():
        parent_rows = every[parent] if parent is not None else 0
        per_parent[e] = totals[e] / parent_rows if parent_rows else None
    if fmt is None or fmt in NOT_MEASURED:
        return Estimate([EntityEstimate(e, totals[e], parents[e], per_parent[e], None) for e in chosen], fmt, None, 0, None)
    sample_rows = {r: min(plan.design.entities[r].rows or 0, sample_root_rows) for r in plan.roots}
    by_entity, seconds, written_rows, total_bytes = _measure(design, fmt, sample_rows, seed, chosen)
    scaled = {e: round(by_entity[e][1] * totals[e] / by_entity[e][0]) if by_entity[e][0] else 0 for e in chosen}
    sample_total = sum(written_rows.values())
    ratio = sum(totals.values()) / sample_total if sample_total else 1.0
    return Estimate(
        [EntityEstimate(e, totals[e], parents[e], per_parent[e], scaled[e]) for e in chosen],
        fmt,
        seconds * max(ratio, 1.0),
        sample_total,
        round(total_bytes * sum(scaled.values()) / max(sum(by_entity[e][1] for e in chosen), 1)) if total_bytes else None,
    )


def _rows(plan) -> dict[str, int]:
    """Every entity's rows: drawn as the export draws them, or past EXACT_ROWS from the means."""
    run = Run(plan)
    design = plan.design
    out: dict[str, int] = {}
    for root in plan.roots:
        exact = (design.entities[root].rows or 0) <= EXACT_ROWS
        for e in plan.family(root):
            parent = design.entities[e].parent
            if exact or parent is None:
                out[e] = run.total_rows(e)
            else:
                out[e] = round(out[parent.entity] * mean_per_parent(design, e))
    return out


def _measure(
    design: Design, fmt: str, sample_rows: dict[str, int], seed: int | None, chosen: list[str]
) -> tuple[dict[str, tuple[int, int]], float, dict[str, int], int | None]:
    """Write the sample: (rows, bytes) per entity, seconds, rows per entity, and a database file's size."""
    place = Path(tempfile.mkdtemp(prefix="designer-estimate-"))
    try:
        location = str(place / "sample.sqlite") if fmt == "sqlite" else str(place / "sample") + "/"
        target = resolve_target(location, fmt, "sample", len(chosen), "fail")
        result = pipeline.export(design, target, rows=sample_rows, seed=seed, entities=chosen)
        tables = {design.table_of(e): e for e in chosen}
        if target.format == "sqlite":
            sizes = _table_bytes(Path(location))
            file_bytes = Path(location).stat().st_size
            # a table's indexes count as its own; pages no table holds (the schema) are spread by rows
            named = {e: sizes.get(design.table_of(e), 0) for e in chosen}
            by_entity = {e: (result.rows[e], named[e]) for e in chosen}
            return by_entity, result.seconds, result.rows, file_bytes
        by_entity = {tables[w.table]: (w.rows, w.bytes or 0) for w in result.written if w.table in tables}
        return {e: by_entity.get(e, (0, 0)) for e in chosen}, result.seconds, result.rows, None
    finally:
        shutil.rmtree(place, ignore_errors=True)


def _table_bytes(path: Path) -> dict[str, int]:
    """Bytes of each table of a SQLite file with its indexes (SQLite's dbstat table)."""
    with sqlite3.connect(path) as db:
        owners = dict(db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
        out: dict[str, int] = {}
        for name, size in db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owners.get(name, name)
            out[table] = out.get(table, 0) + int(size)
    db.close()
    return out
