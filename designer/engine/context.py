"""What a kind sees while it draws one field for one block of rows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from .blocks import FamilyBlock
from .seeding import ENTITY_WIDE, rng

if TYPE_CHECKING:
    from .run import Run  # only a type: the run imports the fields, which import this


@dataclass
class FieldContext:
    run: Run
    block: FamilyBlock
    entity: str
    field: str
    stream_prefix: str = ""  # "variant:suspended/" while drawing a variant's override
    extras: dict = dataclasses.field(default_factory=dict)  # `field` is the field's name here
    rows: int | None = None  # fewer rows than the block's, when redrawing duplicates

    @property
    def n(self) -> int:
        return self.block.rows[self.entity] if self.rows is None else self.rows

    @property
    def offset(self) -> int:
        """Global index of this block's first row in the entity."""
        return self.block.offsets[self.entity]

    @property
    def design(self):
        return self.run.plan.design

    def rng(self, stream: str = "") -> np.random.Generator:
        return rng(self.design.info.seed, self.entity, self.field, self.block.index, self.stream_prefix + stream)

    def entity_rng(self, stream: str) -> np.random.Generator:
        """Draws shared by every block of the entity (a permutation of a finite domain)."""
        return rng(self.design.info.seed, self.entity, self.field, ENTITY_WIDE, self.stream_prefix + stream)

    def column(self, name: str, entity: str | None = None) -> pl.Series:
        return self.block.columns[entity or self.entity][name]

    def frame(self, names, entity: str | None = None) -> pl.DataFrame:
        cols = self.block.columns[entity or self.entity]
        return pl.DataFrame([cols[n] for n in names], schema=None) if names else pl.DataFrame(height=self.n)

    @property
    def parent_index(self) -> np.ndarray:
        """For each row of a child entity, the row of its parent within the parent's block."""
        return self.block.parent_index[self.entity]

    @property
    def parent_entity(self) -> str:
        return self.design.entities[self.entity].parent.entity
