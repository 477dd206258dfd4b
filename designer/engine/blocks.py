"""The block layout of a run: each entity's rows per block, where a block starts, and the block itself.

A root entity has BLOCK_ROWS rows in each block but its last; a child has, per parent row, the
rows its count distribution draws. Kinds and contexts read a block through `FamilyBlock`, and the
layout asks the run's drawer for child counts, so neither needs the run to know its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from ..model.deps import Node
from .plan import Plan
from .seeding import BLOCK_ROWS

# (child entity, block, rows of its parent in the block) -> the child's rows for each parent row
DrawCounts = Callable[[str, int, int], np.ndarray]


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


class BlockLayout:
    def __init__(self, plan: Plan, draw_counts: DrawCounts, skip: frozenset[str] = frozenset()):
        self.plan = plan
        self._draw_counts = draw_counts
        self._skip = skip  # entities not laid out: a run that materializes what their counts read
        # Per-instance caches: lru_cache on a method would keep every layout (and its run) alive.
        self._block_rows = lru_cache(maxsize=4096)(self._block_rows_uncached)
        self._offsets = lru_cache(maxsize=None)(self._offsets_uncached)

    def blocks(self, root: str) -> int:
        rows = self.plan.design.entities[root].rows or 0
        return max(1, -(-rows // BLOCK_ROWS))

    def counts(self, entity: str, block: int) -> np.ndarray:
        """Rows of a child entity per parent row in a block."""
        parent = self.plan.design.entities[entity].parent
        assert parent is not None, f"{entity} is a root entity"
        return self._draw_counts(entity, block, self._block_rows(parent.entity, block))

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

    def empty_block(self, root: str, index: int) -> FamilyBlock:
        """Block `index` of a family laid out (rows, offsets, each child row's parent row), no column drawn yet."""
        block = FamilyBlock(index=index, rows={}, offsets={}, parent_index={})
        for entity in self.plan.family(root):
            if entity in self._skip:
                continue
            block.rows[entity] = self._block_rows(entity, index)
            block.offsets[entity] = self.offset(entity, index)
            block.columns[entity] = {}
            if self.plan.design.entities[entity].parent is not None:
                counts = self.counts(entity, index)
                block.parent_index[entity] = np.repeat(np.arange(len(counts)), counts)
        return block
