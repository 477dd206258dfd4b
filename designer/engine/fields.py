"""One field of one block: the kind's column, variants, edge cases, uniqueness, nulls, dtype.

The order of the steps matters and is fixed: values -> variant overrides ->
edge cases -> uniqueness -> nulls -> dtype. Each step draws from its own
stream, so turning one option on never changes the draws of another.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..errors import GenerationError
from ..model.tuples import product_digit
from .context import FieldContext
from .dtypes import cast_to
from .edges import apply_edges
from .kinds import draw
from .permute import tuple_values
from .variants import overrides, variant_members


def _variant_members(run, block, entity: str) -> list[np.ndarray]:
    """Per variant, in file order: which rows of the block take it (worked out once per block)."""
    if not run.plan.design.entities[entity].variants:
        return []
    cache = block.extras.setdefault((entity, "__variants__"), {})
    if "members" not in cache:
        cache["members"] = variant_members(run, entity, block.index, block.rows[entity])
    return cache["members"]


def draw_spec(ctx: FieldContext, spec) -> pl.Series:
    """A spec's values for every row of the block, before nulls."""
    try:
        values = draw(spec, ctx)
    except GenerationError:
        raise
    except Exception as error:  # a kind failing on valid input is a bug; name the place anyway
        raise GenerationError(f"{spec.kind} failed: {error}", path=_path(ctx)) from error
    if spec.edge_rate:
        values = apply_edges(values, spec, ctx)
    if spec.dtype:
        values = cast_to(values, spec.dtype, _path(ctx))
    return values


def _path(ctx: FieldContext) -> str:
    return f"entities.{ctx.entity}.fields.{ctx.field}"


def compute_field(run, block, entity: str, name: str) -> None:
    ent = run.plan.design.entities[entity]
    base = ent.fields.get(name)
    ctx = FieldContext(run, block, entity, name, extras=block.extras.setdefault((entity, name), {}))
    n = block.rows[entity]
    values = draw_spec(ctx, base) if base is not None else None
    null_rates = np.full(n, base.null_rate if base is not None else 0.0)
    members = _variant_members(run, block, entity)
    for vname, in_variant, spec in overrides(ent.variants, members, lambda variant: variant.fields.get(name)):
        vctx = FieldContext(run, block, entity, name, stream_prefix=f"variant:{vname}/", extras={})
        override = draw_spec(vctx, spec)
        follow(ctx.extras, vctx.extras, np.flatnonzero(in_variant), n, whole_block=True)
        null_rates[in_variant] = spec.null_rate
        if values is None:  # a field only variants have: null in every other row
            values = pl.Series(name, [None], dtype=override.dtype).extend_constant(None, n - 1) if n else override
        values = _where(pl.Series(in_variant), override, values)
    if values is None:
        values = pl.Series(name, [], dtype=pl.Null)
    if base is not None and base.unique and not run.unique.is_stateful(base, run.plan.design):
        values = run.unique.make_unique(values, base, ctx)  # stateless: a permutation of the domain
    elif base is not None and (digit := product_digit(run.plan.design, entity, name)) is not None:
        values = tuple_values(values, base, ctx, *digit)  # a tuple distinct over its fields' domains
    if null_rates.any():
        nulls = ctx.rng("null").random(n) < null_rates
        values = pl.select(pl.when(pl.lit(pl.Series(nulls))).then(None).otherwise(pl.lit(values))).to_series()
    block.columns[entity][name] = values.alias(name)


def finish_unique(run, block, root: str, order: list) -> None:
    """De-duplicate the fields that need the run's memory of earlier blocks, in field order,
    and recompute whatever was computed from a changed field. Runs in the main process,
    block after block, so the result does not depend on how blocks were spread over workers."""
    design = run.plan.design
    for position, (entity, name) in enumerate(order):
        spec = design.entities[entity].fields.get(name)
        if spec is None or not spec.unique or not run.unique.is_stateful(spec, design):
            continue
        ctx = FieldContext(run, block, entity, name, extras=block.extras.setdefault((entity, name), {}))
        before = block.columns[entity][name]
        after = run.unique.make_unique(before, spec, ctx)
        if after is before or after.equals(before):
            continue
        block.columns[entity][name] = after.alias(name)
        changed = {(entity, name)}
        for node in order[position + 1 :]:
            if any(dep in changed for dep in run.plan.edges[node]):
                compute_field(run, block, *node)
                changed.add(node)


def follow(extras: dict, fresh: dict, rows: np.ndarray, n: int, whole_block: bool = False) -> None:
    """Side results follow the values that replaced a field's values at `rows` (a variant's
    override, a redraw): what fields computed from this one read (a reference's row indexes, for
    its lookups) must describe the final values, whatever kind drew them. `fresh` holds per-row
    arrays, one entry per replaced row, or with `whole_block` one per row of the block."""
    for key, new in fresh.items():
        if not isinstance(new, np.ndarray) or len(new) != (n if whole_block else len(rows)):
            continue
        old = extras.get(key)
        merged = np.zeros(n, dtype=new.dtype) if old is None else np.array(old, copy=True)
        merged[rows] = new[rows] if whole_block else new
        extras[key] = merged


def _where(mask: pl.Series, yes: pl.Series, no: pl.Series) -> pl.Series:
    """yes where mask, else no; a column of nulls takes the other's dtype."""
    if yes.dtype != no.dtype:
        if no.null_count() == len(no):
            no = no.cast(yes.dtype)
        else:
            yes = yes.cast(no.dtype, strict=False)
    return pl.select(pl.when(pl.lit(mask)).then(pl.lit(yes)).otherwise(pl.lit(no))).to_series()
