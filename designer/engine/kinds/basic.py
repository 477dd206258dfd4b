"""const, sequence, uuid, choice, bool."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...model.kinds import Bool, Choice, Const, Sequence, Uuid
from ..columns import gather, uuid_strings
from .registry import draws


@draws(Const)
def const(spec: Const, ctx) -> pl.Series:
    return pl.Series([spec.value]).extend_constant(spec.value, ctx.n - 1) if ctx.n else pl.Series([spec.value]).clear()


@draws(Sequence)
def sequence(spec: Sequence, ctx) -> pl.Series:
    index = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
    if isinstance(spec.start, int) and isinstance(spec.step, int):
        return pl.Series(spec.start + spec.step * index, dtype=pl.Int64)
    return pl.Series(spec.start + spec.step * index.astype(np.float64), dtype=pl.Float64)


@draws(Uuid)
def uuid(spec: Uuid, ctx) -> pl.Series:
    return uuid_strings(ctx.rng(), ctx.n)


def values_series(values: list) -> pl.Series:
    """The choice values as one typed series (mixed types fall back to text)."""
    try:
        return pl.Series(values, strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        return pl.Series([str(v) if not isinstance(v, (dt.date,)) else v.isoformat() for v in values])


def weights_of(spec) -> np.ndarray:
    weights = np.asarray(spec.weights if spec.weights else [1] * len(spec.values), dtype=float)
    return weights / weights.sum()


@draws(Choice)
def choice(spec: Choice, ctx) -> pl.Series:
    values = values_series(spec.values)
    if spec.unique:  # a permutation of the values across the whole entity: no repeats, ever
        order = ctx.entity_rng("permutation").permutation(len(values))
        return gather(values, order[ctx.offset : ctx.offset + ctx.n])
    cdf = np.cumsum(weights_of(spec))
    index = np.minimum(np.searchsorted(cdf, ctx.rng().random(ctx.n), side="right"), len(values) - 1)
    return gather(values, index)


@draws(Bool)
def boolean(spec: Bool, ctx) -> pl.Series:
    return pl.Series(ctx.rng().random(ctx.n) < spec.p, dtype=pl.Boolean)
