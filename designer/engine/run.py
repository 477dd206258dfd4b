"""One generation run over a plan: block structure, materialized references, family blocks.

A run is deterministic and cheap to create; the pipeline makes one per export or
preview. Blocks of a family can be generated in any order and any process: a
block's content depends only on the plan, the seed and the block number (plus
the unique-value state, which the run carries through blocks in order).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from ..model.deps import Node, all_fields
from .plan import Plan
from .seeding import BLOCK_ROWS, rng


@dataclass
class FamilyBlock:
    """One block of a root entity's rows with all their descendants."""

    index: int
    rows: dict[str, int]  # entity -> rows in this block
    offsets: dict[str, int]  # entity -> global index of the block's first row
    parent_index: dict[str, np.ndarray]  # child entity -> parent row (within the block) per row
    columns: dict[str, dict[str, pl.Series]] = field(default_factory=dict)
    extras: dict[Node, dict] = field(default_factory=dict)  # per-field side results (reference row indexes)
    wanted: frozenset[Node] | None = None  # the fields generated, when not all of them


class Run:
    def __init__(self, plan: Plan):
        from .unique import UniqueState

        self.plan = plan
        self.unique = UniqueState()
        self._materialized: dict[str, dict[str, pl.Series]] = {}
        self._materializing = threading.Lock()  # the drawing thread and the finishing one may both ask
        # Per-instance caches: lru_cache on a method would keep every Run (and its columns) alive.
        self._block_rows = lru_cache(maxsize=4096)(self._block_rows_uncached)
        self._offsets = lru_cache(maxsize=None)(self._offsets_uncached)

    # ---- structure: how many rows each entity has in each block -------------------------

    def blocks(self, root: str) -> int:
        rows = self.plan.design.entities[root].rows or 0
        return max(1, -(-rows // BLOCK_ROWS))

    def counts(self, entity: str, block: int) -> np.ndarray:
        """Rows of a child entity per parent row in a block."""
        from .kinds import draw_counts

        parent = self.plan.design.entities[entity].parent
        parent_rows = self._block_rows(parent.entity, block)
        return draw_counts(self, entity, block, parent_rows)

    def _block_rows_uncached(self, entity: str, block: int) -> int:
        ent = self.plan.design.entities[entity]
        if ent.parent is None:
            return max(0, min(BLOCK_ROWS, (ent.rows or 0) - block * BLOCK_ROWS))
        return int(self.counts(entity, block).sum())

    def block_rows(self, entity: str, block: int) -> int:
        return self._block_rows(entity, block)

    def _offsets_uncached(self, entity: str) -> np.ndarray:
        root = self.plan.root_of(entity)
        sizes = [self._block_rows(entity, b) for b in range(self.blocks(root))]
        return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])

    def offset(self, entity: str, block: int) -> int:
        if self.plan.design.entities[entity].parent is None:
            return block * BLOCK_ROWS
        return int(self._offsets(entity)[block])

    def total_rows(self, entity: str) -> int:
        if self.plan.design.entities[entity].parent is None:
            return self.plan.design.entities[entity].rows or 0
        return int(self._offsets(entity)[-1])

    # ---- generation ----------------------------------------------------------------------

    def family_block(self, root: str, index: int, wanted: frozenset[Node] | None = None, finish: bool = True) -> FamilyBlock:
        """Generate block `index` of a family: every field, or only `wanted` and what they need.

        With finish=False (in a worker process) fields that must be unique across blocks are
        left as drawn; the main process then calls `finish(block)` on blocks in order.
        """
        from .fields import compute_field

        members = self.plan.family(root)
        block = FamilyBlock(index=index, rows={}, offsets={}, parent_index={})
        for entity in members:
            block.rows[entity] = self._block_rows(entity, index)
            block.offsets[entity] = self.offset(entity, index)
            block.columns[entity] = {}
            if self.plan.design.entities[entity].parent is not None:
                counts = self.counts(entity, index)
                block.parent_index[entity] = np.repeat(np.arange(len(counts)), counts)
        for node in self.plan.field_order(root, wanted):
            compute_field(self, block, *node)
        block.wanted = wanted
        if finish:
            self.finish(root, block)
        return block

    def finish(self, root: str, block: FamilyBlock) -> FamilyBlock:
        from .fields import finish_unique

        finish_unique(self, block, root, self.plan.field_order(root, block.wanted))
        return block

    def frames(self, block: FamilyBlock, exported_only: bool = True) -> dict[str, pl.DataFrame]:
        """The block's rows as one frame per entity, columns in design order."""
        out = {}
        for entity, cols in block.columns.items():
            names = [n for n, spec in all_fields(self.plan.design, entity).items() if not exported_only or spec.export]
            out[entity] = pl.DataFrame([cols[n].alias(n) for n in names if n in cols])
        return out

    def materialized(self, entity: str, names: tuple[str, ...]) -> dict[str, pl.Series]:
        """Whole columns of an entity (for references and lookups into it), generated once."""
        with self._materializing:
            return self._materialized_locked(entity, names)

    def _materialized_locked(self, entity: str, names: tuple[str, ...]) -> dict[str, pl.Series]:
        have = self._materialized.setdefault(entity, {})
        missing = tuple(n for n in names if n not in have)
        if missing:
            root = self.plan.root_of(entity)
            wanted = frozenset((entity, n) for n in missing)
            sub = Run(self.plan)  # its own unique state: materializing must not disturb this run's
            parts = [sub.family_block(root, b, wanted).columns[entity] for b in range(sub.blocks(root))]
            for name in missing:
                have[name] = pl.concat([p[name] for p in parts]) if parts else pl.Series(name, [])
        return {n: have[n] for n in names}

    def draw(self, entity: str, field_name: str, block: int, stream: str) -> np.random.Generator:
        return rng(self.plan.design.info.seed, entity, field_name, block, stream)
