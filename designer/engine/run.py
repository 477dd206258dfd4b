"""One generation run over a plan: block structure, materialized references, family blocks.

A run is deterministic and cheap to create; the pipeline makes one per export or
preview. Blocks of a family can be generated in any order and any process: a
block's content depends only on the plan, the seed and the block number (plus
the unique-value state, which the run carries through blocks in order).
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Protocol

import numpy as np
import polars as pl

from ..model.deps import Node, all_fields
from .blocks import BlockLayout, FamilyBlock
from .dirt import dirty_frames
from .fields import compute_field, finish_unique
from .kinds import draw_counts
from .plan import Plan
from .seeding import rng
from .unique import UniqueState

__all__ = ["Run"]


class UniqueValues(Protocol):
    """What generation asks of a run's unique-value state: a UniqueState, or one of the
    partition module's wrappers around it (which record or replay its de-duplication)."""

    permutations: dict

    def is_stateful(self, spec, design) -> bool: ...

    def make_unique(self, values: pl.Series, spec, ctx) -> pl.Series: ...


class Run:
    def __init__(self, plan: Plan, skip: frozenset[str] = frozenset()):
        self.plan = plan
        self.skip = skip  # entities this run does not lay out (see materialized)
        self.unique: UniqueValues = UniqueState()
        self._materialized: dict[str, dict[str, pl.Series]] = {}
        self._materializing = threading.Lock()  # the drawing thread and the finishing one may both ask
        self.layout = BlockLayout(plan, partial(draw_counts, self), skip)

    # ---- structure: how many rows each entity has in each block -------------------------

    def blocks(self, root: str) -> int:
        return self.layout.blocks(root)

    def counts(self, entity: str, block: int) -> np.ndarray:
        """Rows of a child entity per parent row in a block."""
        return self.layout.counts(entity, block)

    def block_rows(self, entity: str, block: int) -> int:
        return self.layout.block_rows(entity, block)

    def offset(self, entity: str, block: int) -> int:
        return self.layout.offset(entity, block)

    def total_rows(self, entity: str) -> int:
        return self.layout.total_rows(entity)

    # ---- generation ----------------------------------------------------------------------

    def family_block(self, root: str, index: int, wanted: frozenset[Node] | None = None, finish: bool = True) -> FamilyBlock:
        """Generate block `index` of a family: every field, or only `wanted` and what they need.

        With finish=False (in a worker process) fields that must be unique across blocks are
        left as drawn; the main process then calls `finish(block)` on blocks in order.
        """
        block = self.layout.empty_block(root, index)
        for node in self.plan.field_order(root, wanted):
            compute_field(self, block, *node)
        block.wanted = wanted
        if finish:
            self.finish(root, block)
        return block

    def finish(self, root: str, block: FamilyBlock) -> FamilyBlock:
        finish_unique(self, block, root, self.plan.field_order(root, block.wanted))
        return block

    def frames(self, block: FamilyBlock, exported_only: bool = True) -> dict[str, pl.DataFrame]:
        """The block's rows as one frame per entity, columns in design order."""
        out = {}
        for entity, cols in block.columns.items():
            names = [n for n, spec in all_fields(self.plan.design, entity).items() if not exported_only or spec.export]
            out[entity] = pl.DataFrame([cols[n].alias(n) for n in names if n in cols])
        return dirty_frames(self, block, out)  # after the clean columns are made, which never see it

    def materialized(self, entity: str, names: tuple[str, ...], skip: frozenset[str] = frozenset()) -> dict[str, pl.Series]:
        """Whole columns of an entity (for references and lookups into it, and counts that read a
        parent field), generated once. `skip`: entities the columns do not need and the run that
        makes them must not lay out (the children a count is drawn for)."""
        with self._materializing:
            return self._materialized_locked(entity, names, self.skip | skip)

    def _materialized_locked(self, entity: str, names: tuple[str, ...], skip: frozenset[str]) -> dict[str, pl.Series]:
        have = self._materialized.setdefault(entity, {})
        missing = tuple(n for n in names if n not in have)
        if missing:
            root = self.plan.root_of(entity)
            wanted = frozenset((entity, n) for n in missing)
            sub = Run(self.plan, skip)  # its own unique state: materializing must not disturb this run's
            parts = [sub.family_block(root, b, wanted).columns[entity] for b in range(sub.blocks(root))]
            for name in missing:
                have[name] = pl.concat([p[name] for p in parts]) if parts else pl.Series(name, [])
        return {n: have[n] for n in names}

    def draw(self, entity: str, field_name: str, block: int, stream: str) -> np.random.Generator:
        return rng(self.plan.design.info.seed, entity, field_name, block, stream)
