"""The drawers of the kinds, one family module each (registered in registry.py), and the counts of children."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...errors import GenerationError
from ...model.counts import FieldCount
from ...model.limits import MAX_ROWS
from ..blocks import FamilyBlock
from ..context import FieldContext
from ..variants import overrides, variant_members
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
    counts = _counts(run, entity, block, parent_rows, link.count, "", f"entities.{entity}.parent.count")
    variants = design.entities[link.entity].variants
    if any(entity in v.children for v in variants.values()):
        members = variant_members(run, link.entity, block, parent_rows)
        for vname, in_variant, count in overrides(variants, members, lambda variant: variant.children.get(entity)):
            path = f"entities.{link.entity}.variants.{vname}.children.{entity}"
            own = _counts(run, entity, block, parent_rows, count, f"variant:{vname}/", path)
            counts = np.where(in_variant, own, counts)
    return counts


def _counts(run, entity: str, block: int, parent_rows: int, spec, prefix: str, path: str) -> np.ndarray:
    if isinstance(spec, FieldCount):
        return _read_counts(run, entity, block, parent_rows, spec, f"{path}.field")
    shell = FamilyBlock(index=block, rows={entity: parent_rows}, offsets={entity: 0}, parent_index={})
    ctx = FieldContext(run, shell, entity, "__count__", stream_prefix=prefix)
    counts = draw(spec.as_count(), ctx)
    if counts.dtype.is_float():
        counts = counts.round(0)
    return np.maximum(counts.cast(pl.Int64).to_numpy(), 0)


def _read_counts(run, entity: str, block: int, parent_rows: int, spec: FieldCount, path: str) -> np.ndarray:
    """The block's parent rows' own values of the field the count reads: the whole column as the
    export makes it (every block in order, with its own unique state), so a block's counts are the
    same in any process and for any prefix. The materializing run leaves the child and what hangs
    below it out of its layout: laying them out would ask for these very counts (the loader
    refuses a field made from them)."""
    parent = run.plan.design.entities[entity].parent.entity
    column = run.materialized(parent, (spec.field,), skip=run.plan.below(entity))[spec.field]
    if not (column.dtype.is_numeric() or column.dtype == pl.Null):
        raise GenerationError(f"{parent}.{spec.field} holds {column.dtype}, not numbers", path=path)
    whole = column.round(0) if column.dtype.is_float() else column
    whole = whole.cast(pl.Float64).fill_nan(None).clip(lower_bound=0).fill_null(0)
    # the loader bounds what it can see; an expression's or aggregate's values are held here
    if (total := whole.sum()) > MAX_ROWS:
        raise GenerationError(
            f"{parent}.{spec.field} gives {entity} {total:.3g} rows, more than the limit of {MAX_ROWS:,} rows per entity",
            path=path,
        )
    return whole.slice(run.layout.offset(parent, block), parent_rows).cast(pl.Int64).to_numpy()
