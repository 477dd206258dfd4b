"""What every group of rules shares: the frames read back under the design's field names, the
column specs the export writes, and the results so far."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

from ..model.deps import all_fields
from ..model.design import Design
from ..model.kinds import Parent
from ..model.tuples import copies_parent_key
from ..writers.base import ColumnSpec, TableSpec

PASS, FAIL, SKIP = "pass", "fail", "skip"
MIN_SAMPLE = 30  # fewer values than this say too little about a law to test it
SHOWN = 3  # offending values quoted in a result


@dataclass(frozen=True)
class Result:
    rule: str
    where: str  # entity, or entity.field
    expected: str
    observed: str
    verdict: str  # pass, fail or skip
    test: str | None = None  # the statistical test, for the rules that use one
    p_value: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Base:
    """The data of one design read back, and the helpers every rule uses."""

    def __init__(self, design: Design, specs: list[TableSpec], frames: dict[str, pl.DataFrame], alpha: float):
        self.design = design
        self.alpha = alpha
        self.results: list[Result] = []
        self.specs = {s.name: s for s in specs}  # by written table name
        self.frames: dict[str, pl.DataFrame] = {}  # by entity, columns under field names
        self.columns: dict[str, dict[str, ColumnSpec]] = {}  # entity -> field -> its column spec
        self.typed: dict[str, set[str]] = {}  # entity -> the fields read with their designed types
        for entity in design.entities:
            table = design.table_of(entity)
            spec = self.specs.get(table)
            if spec is None:
                continue
            by_column = {c.name: c for c in spec.columns}
            fields = {
                f: by_column[design.column_of(entity, f)]
                for f in all_fields(design, entity)
                if design.column_of(entity, f) in by_column
            }
            self.columns[entity] = fields
            if table in frames:
                frame = frames[table]
                self.frames[entity] = frame.select(
                    pl.col(design.column_of(entity, f)).alias(f) for f in fields if design.column_of(entity, f) in frame.columns
                )

    # --- helpers ------------------------------------------------------------------------------

    def add(self, rule: str, where: str, expected: str, observed: str, ok: bool | None, test=None, p=None) -> None:
        verdict = SKIP if ok is None else PASS if ok else FAIL
        self.results.append(Result(rule, where, expected, observed, verdict, test, p))

    def has(self, entity: str, *names: str) -> bool:
        """The entity's table was read and holds these fields with their designed types."""
        frame = self.frames.get(entity)
        return frame is not None and all(n in frame.columns and n in self.typed.get(entity, set()) for n in names)

    def absent(self, entity: str, names) -> str:
        """Why fields cannot be checked: helper fields the export leaves out, or columns not there."""
        gone = [n for n in names if not self.has(entity, n)]
        helpers = [n for n in gone if n not in self.columns.get(entity, {})]
        if helpers and len(helpers) == len(gone):
            return f"reads {', '.join(helpers)}, which the export leaves out (export = false)"
        return f"{', '.join(gone)} not in the data"

    def exported(self, entity: str) -> list[str]:
        return list(self.columns.get(entity, {}))

    # --- the rules ----------------------------------------------------------------------------

    def parent_link(self, entity: str) -> tuple[str, str] | None:
        """(child field, parent field): a parent field of this child entity copying a field distinct
        over the parent's rows, so rows can be grouped by their parent row."""
        ent = self.design.entities[entity]
        if ent.parent is None:
            return None
        for name, spec in ent.fields.items():
            if not isinstance(spec, Parent) or not copies_parent_key(self.design, entity, spec):
                continue
            if self.has(entity, name) and self.has(ent.parent.entity, spec.field):
                return name, spec.field
        return None

    def per_parent(self, entity: str) -> pl.Series | None:
        """Rows of this child entity per row of its parent, in the parent's order."""
        link = self.parent_link(entity)
        if link is None:
            return None
        mine, theirs = link
        parent = self.design.entities[entity].parent.entity  # type: ignore[union-attr]  # parent_link: a child
        counts = self.frames[entity].group_by(mine).len()
        keys = self.frames[parent].select(pl.col(theirs).alias(mine))
        return keys.join(counts, on=mine, how="left")["len"].fill_null(0)
