"""Partitions: a range of a root entity's blocks with all their descendants, as one unit of work.

A partition's rows are the rows a single-process export writes for those blocks. Blocks are
independent except for `unique` fields whose de-duplication remembers earlier blocks (numbered
templates, redrawn Faker values). For those the work is split in two:

1. a sequential pass (`UniquePass`) takes only those fields and what they read, finishes them
   in block order with the run's real memory, and records per block the rows that changed and
   their new values (a `Patch`);
2. a partition replays the patches (`Replay`) instead of remembering, so it can run anywhere,
   in any order, and still gives exactly the rows of the sequential run.

Nothing here knows about Dask; `designer.cluster` ships these pieces to workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..model import Design
from ..model.deps import Node
from .blocks import FamilyBlock
from .plan import Plan, make_plan
from .run import Run
from .unique import UniqueState

MAX_PART_BLOCKS = 16  # 262,144 root rows: a part's frames stay small in a worker's memory
MIN_PARTS = 64  # enough tasks to keep a cluster busy before parts grow


@dataclass(frozen=True)
class Part:
    """Blocks [start, stop) of a root entity and its descendants; `number` names its files."""

    root: str
    number: int
    start: int
    stop: int

    @property
    def blocks(self) -> range:
        return range(self.start, self.stop)


def plan_parts(run: Run, root: str) -> list[Part]:
    """The partitioning of a family. It depends on the row counts only, never on the cluster,
    so that a resumed run on another cluster finds the same part files."""
    count = run.blocks(root)
    per = min(MAX_PART_BLOCKS, max(1, count // MIN_PARTS))
    return [Part(root, n, start, min(start + per, count)) for n, start in enumerate(range(0, count, per))]


def part_rows(run: Run, part: Part) -> dict[str, int]:
    """Rows of each family member in a part, known from the block structure without generating."""
    return {e: sum(run.block_rows(e, b) for b in part.blocks) for e in run.plan.family(part.root)}


def stateful_nodes(plan: Plan, root: str) -> frozenset[Node]:
    """The family's unique fields whose values depend on earlier blocks."""
    design = plan.design
    return frozenset(
        (entity, name)
        for entity in plan.family(root)
        for name, spec in design.entities[entity].fields.items()
        if spec.unique and UniqueState.is_stateful(spec, design)
    )


# ---- patches: what de-duplication changed, per (entity, field, block) ------------------------

PatchKey = tuple[str, str, int]


@dataclass(frozen=True)
class Patch:
    rows: np.ndarray | None  # rows that changed; None: `values` is the whole column
    values: pl.Series

    @classmethod
    def between(cls, before: pl.Series, after: pl.Series) -> Patch:
        if before.dtype != after.dtype or len(before) != len(after):
            return cls(None, after)
        rows = before.ne_missing(after).arg_true()
        return cls(rows.to_numpy(), after.gather(rows))

    def apply(self, before: pl.Series) -> pl.Series:
        if self.rows is None:
            return self.values
        if not len(self.rows):
            return before
        return before.clone().scatter(self.rows, self.values)  # clone: the caller compares with `before`


class _Wrapped:
    """A run's unique state with stateful de-duplication intercepted; the rest is delegated."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def make_unique(self, values: pl.Series, spec, ctx) -> pl.Series:
        if not self.inner.is_stateful(spec, ctx.design):
            return self.inner.make_unique(values, spec, ctx)
        return self.stateful(values, spec, ctx, (ctx.entity, ctx.field, ctx.block.index))


class _Recorder(_Wrapped):
    def __init__(self, inner):
        super().__init__(inner)
        self.patches: dict[PatchKey, Patch] = {}

    def stateful(self, values, spec, ctx, key):
        before = values.clone()  # cheap (shared buffers); kept even if de-duplication writes in place
        after = self.inner.make_unique(values, spec, ctx)
        self.patches[key] = Patch.between(before, after)
        return after


class Replay(_Wrapped):
    """Stateful de-duplication from recorded patches: no memory of other blocks is needed."""

    def __init__(self, inner):
        super().__init__(inner)
        self.patches: dict[PatchKey, Patch] = {}

    def stateful(self, values, spec, ctx, key):
        if key not in self.patches:  # the pass and the partition disagree on what is stateful: a bug
            raise RuntimeError(f"no unique patch for {key}")
        return self.patches[key].apply(values)


def draw_inputs(run: Run, root: str, index: int) -> FamilyBlock | None:
    """Block `index` with only the stateful unique fields and what they read, not yet de-duplicated
    (any process may do this); None when the family has no such field."""
    wanted = stateful_nodes(run.plan, root)
    return run.family_block(root, index, wanted, finish=False) if wanted else None


class UniquePass:
    """The sequential pass: feed it every block's inputs in block order, get each block's patches."""

    def __init__(self, plan: Plan):
        self.run = Run(plan)
        self.recorder = _Recorder(self.run.unique)
        self.run.unique = self.recorder
        self.next = 0

    def feed(self, root: str, block: FamilyBlock | None) -> dict[PatchKey, Patch]:
        if block is None:
            return {}
        if block.index != self.next:
            raise RuntimeError(f"unique pass fed block {block.index}, expected {self.next}")
        self.next += 1
        self.run.finish(root, block)
        patches, self.recorder.patches = self.recorder.patches, {}
        return patches


def replaying(run: Run) -> Replay:
    if not isinstance(run.unique, Replay):
        run.unique = Replay(run.unique)
    return run.unique


def part_frames(run: Run, part: Part, patches: dict[PatchKey, Patch]) -> Iterator[dict[str, pl.DataFrame]]:
    """The exported frames of each block of a part, in block order (memory stays one block)."""
    replay = replaying(run)
    replay.patches.update(patches)
    try:
        for index in part.blocks:
            yield run.frames(run.family_block(part.root, index))
    finally:
        for key in patches:
            replay.patches.pop(key, None)


def partition(
    design: Design, seed: int | None, entity: str, blocks: range, rows: dict[str, int] | None = None
) -> dict[str, pl.DataFrame]:
    """The rows of `blocks` of `entity`'s family (the entity, its root and all the root's
    descendants), equal to what a single-process export writes for those blocks.

    Stand-alone, so it pays for the sequential unique pass over every block before `blocks.stop`;
    `designer.cluster` runs that pass once and shares the patches instead."""
    if seed is not None:
        design = design.model_copy(update={"info": design.info.model_copy(update={"seed": seed})})
    plan = make_plan(design, rows=rows)
    root = plan.root_of(entity)
    run = Run(plan)
    unique = UniquePass(plan)
    patches: dict[PatchKey, Patch] = {}
    for index in range(blocks.stop if stateful_nodes(plan, root) else 0):
        found = unique.feed(root, draw_inputs(unique.run, root, index))
        if index >= blocks.start:
            patches.update(found)
    part = Part(root, 0, blocks.start, blocks.stop)
    chunks = list(part_frames(run, part, patches))
    return {e: pl.concat([c[e] for c in chunks]) if chunks else pl.DataFrame() for e in plan.family(root)}
