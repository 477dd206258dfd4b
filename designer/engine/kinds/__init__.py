"""The drawers of the kinds, one family module each (registered in registry.py), and the counts of children."""

from __future__ import annotations

import numpy as np
import polars as pl

from ..blocks import FamilyBlock
from ..context import FieldContext
from . import basic, derived, fakerkind, numeric, times  # noqa: F401  # each registers its drawers
from .registry import DRAWERS, drawer

# the family modules register their drawers when imported
KINDS = {model.kind_name(): function for model, function in DRAWERS.items()}
"""kind name -> drawer, for the kinds every model in the field union has (tests check both ways)."""


def draw(spec, ctx) -> pl.Series:
    """The spec's kind's column for the block."""
    return drawer(spec)(spec, ctx)


def draw_counts(run, entity: str, block: int, parent_rows: int) -> np.ndarray:
    """Rows of a child entity for each of `parent_rows` parent rows, from its count distribution."""
    spec = run.plan.design.entities[entity].parent.count.as_count()
    shell = FamilyBlock(index=block, rows={entity: parent_rows}, offsets={entity: 0}, parent_index={})
    ctx = FieldContext(run, shell, entity, "__count__")
    counts = draw(spec, ctx)
    if counts.dtype.is_float():
        counts = counts.round(0)
    return np.maximum(counts.cast(pl.Int64).to_numpy(), 0)
