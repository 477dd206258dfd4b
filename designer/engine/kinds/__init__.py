"""The drawers of the kinds, one family module each (registered in registry.py), and the counts of children."""

from __future__ import annotations

import numpy as np
import polars as pl

from ..blocks import FamilyBlock
from ..context import FieldContext
from ..variants import variant_members
from . import basic, derived, fakerkind, numeric, times  # noqa: F401  # each registers its drawers
from .registry import DRAWERS, drawer

# the family modules register their drawers when imported
KINDS = {model.kind_name(): function for model, function in DRAWERS.items()}
"""kind name -> drawer, for the kinds every model in the field union has (tests check both ways)."""


def draw(spec, ctx) -> pl.Series:
    """The spec's kind's column for the block."""
    return drawer(spec)(spec, ctx)


def draw_counts(run, entity: str, block: int, parent_rows: int) -> np.ndarray:
    """Rows of a child entity for each of `parent_rows` parent rows, from its count distribution,
    or for the parent rows of a variant with `children`, from that variant's."""
    design = run.plan.design
    link = design.entities[entity].parent
    counts = _counts(run, entity, block, parent_rows, link.count, "")
    variants = design.entities[link.entity].variants
    if any(entity in v.children for v in variants.values()):
        members = variant_members(run, link.entity, block, parent_rows)
        for in_variant, (vname, variant) in zip(members, variants.items(), strict=True):
            if entity in variant.children:  # a parent row in two groups' variants: the later one's count
                own = _counts(run, entity, block, parent_rows, variant.children[entity], f"variant:{vname}/")
                counts = np.where(in_variant, own, counts)
    return counts


def _counts(run, entity: str, block: int, parent_rows: int, spec, prefix: str) -> np.ndarray:
    shell = FamilyBlock(index=block, rows={entity: parent_rows}, offsets={entity: 0}, parent_index={})
    ctx = FieldContext(run, shell, entity, "__count__", stream_prefix=prefix)
    counts = draw(spec.as_count(), ctx)
    if counts.dtype.is_float():
        counts = counts.round(0)
    return np.maximum(counts.cast(pl.Int64).to_numpy(), 0)
