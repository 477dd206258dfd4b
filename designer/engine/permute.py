"""Seeded permutations of a domain [0, size): row r of an entity takes the r-th index, so no index
repeats, and the same row gets the same index whatever the block, chunk or worker. Used by
`unique` (finite domains) and by unique references (each row of the target at most once)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl

from ..errors import GenerationError
from ..model.tuples import product_size
from .seeding import ENTITY_WIDE, rng


def drawn_once(ctx, size: int, exponent: float | None, target: str) -> np.ndarray:
    """Rows of a `unique` reference: row r of the entity -> the r-th draw of a sample WITHOUT
    replacement of the target's rows [0, size). Built, never retried: prefix-stable (a longer
    run only draws further) and the same for any block, chunk or worker. Evenly: a seeded
    permutation. With a zipf `exponent`: weighted sampling without replacement (Efraimidis-
    Spirakis, as Gumbel-top-k keys log w + G): each draw takes a row not drawn yet, with
    probability proportional to its zipf weight, so popular rows come early and once."""
    end = ctx.offset + ctx.n
    if end > size:
        raise GenerationError(
            f"a unique reference points at a different row of {target} in each row: {end} rows here, {target} has {size}",
            path=f"entities.{ctx.entity}.fields.{ctx.field}",
        )
    if not exponent:
        return np.asarray(bijection(ctx, size), dtype=np.int64)
    cache, name = ctx.run.unique.permutations, (ctx.entity, ctx.field, ctx.stream_prefix, size, "zipf")
    if name not in cache:
        keys = -float(exponent) * np.log(np.arange(1, size + 1)) + ctx.entity_rng("once").gumbel(size=size)
        ranks = np.argsort(-keys, kind="stable")
        cache[name] = ctx.entity_rng("popularity").permutation(size)[ranks]  # the plain zipf's popular rows
    return cache[name][ctx.offset : end]


def bijection(ctx, size: int) -> np.ndarray:
    """Row r of the entity -> a distinct index in [0, size): an affine map with a seeded multiplier."""
    rows = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
    if size <= 1 << 22:  # small domain: a true random permutation, cached for the run
        permutations = ctx.run.unique.permutations
        name = (ctx.entity, ctx.field, ctx.stream_prefix, size)  # a variant's own override: its own
        if name not in permutations:
            permutations[name] = ctx.entity_rng("permutation").permutation(size)
        return permutations[name][rows]
    rng = ctx.entity_rng("permutation")
    multiplier = int(rng.integers(1, size))
    while math.gcd(multiplier, size) != 1:
        multiplier += 1
    shift = int(rng.integers(0, size))
    return (rows.astype(object) * multiplier + shift) % size


def drawn_per_parent(ctx, size: int, exponent: float | None, target: str) -> np.ndarray:
    """Rows of a reference with distinct = "per_parent": the rows of one parent row take a sample
    WITHOUT replacement of the target's rows [0, size). Built, never retried: the j-th row of a
    parent row draws among the size - j rows its earlier rows left, by one uniform number mapped
    past the rows taken (in ascending order). Evenly, or with a zipf `exponent` weighted: the j-th
    draw takes a row not taken yet with probability proportional to its zipf weight (sequential
    weighted sampling without replacement), ranks through the plain zipf's popularity permutation.
    The same uniform numbers as long as the block's: prefix-, chunk- and worker-stable. Work is
    about (rows) x (most rows of one parent row): meant for line items and junction tables."""
    n = ctx.n
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    parents = ctx.parent_index
    index = np.arange(n, dtype=np.int64)
    starts = np.maximum.accumulate(np.where(np.r_[True, parents[1:] != parents[:-1]], index, 0))
    position = index - starts  # a row's place among its parent row's rows
    most = int(position.max()) + 1
    if most > size:
        raise GenerationError(
            f"{ctx.entity} draws {most} distinct {target} for one row of {ctx.parent_entity}, {target} has {size}",
            path=f"entities.{ctx.entity}.fields.{ctx.field}",
        )
    u = ctx.rng().random(n)
    out = np.empty(n, dtype=np.int64)
    weights = None if not exponent else np.arange(1, size + 1, dtype=np.float64) ** -float(exponent)
    upto = None if weights is None else np.cumsum(weights)
    local = parents - parents[0]
    taken = np.empty((int(local[-1]) + 1, most), dtype=np.int64)  # per parent row: the rows taken, in order
    for j in range(most):
        at = np.flatnonzero(position == j)
        before = taken[local[at], :j]
        if weights is None or upto is None:
            pick = np.minimum((u[at] * (size - j)).astype(np.int64), size - j - 1)
            # the pick-th row not taken: pick + the taken rows below the answer, which are the i
            # with taken_i - i <= pick (taken sorted)
            below = (before - np.arange(j) <= pick[:, None]).sum(axis=1)
            pick += below
        else:
            w = weights[before]
            left = upto[-1] - w.sum(axis=1)
            point = u[at] * left
            # a point on the line of untaken weights -> on the whole line: past every taken row whose
            # start, less the taken weight before it, is at or below the point
            starts = upto[before] - w
            passed = starts - (np.cumsum(w, axis=1) - w) <= point[:, None]
            point = point + (w * passed).sum(axis=1)
            pick = np.minimum(np.searchsorted(upto, point, side="right"), size - 1)
            _untaken(pick, before, size)
            below = (before < pick[:, None]).sum(axis=1)
        out[at] = pick
        _insert(taken, local[at], j, below, pick)
    if weights is not None:  # popular rows spread over the table, the same rows as the plain zipf's
        out = ctx.entity_rng("popularity").permutation(size)[out]
    return out


def _insert(taken: np.ndarray, rows: np.ndarray, j: int, at: np.ndarray, value: np.ndarray) -> None:
    """Put `value` at place `at` of each row's first j sorted entries (which then hold j + 1)."""
    if j == 0:
        taken[rows, 0] = value
        return
    head = taken[rows, : j + 1]
    head[:, j] = 0
    columns = np.arange(j + 1)
    shifted = np.concatenate([head[:, :1], head[:, :j]], axis=1)
    head = np.where(columns < at[:, None], head, np.where(columns == at[:, None], value[:, None], shifted))
    taken[rows, : j + 1] = head


def _untaken(pick: np.ndarray, taken: np.ndarray, size: int) -> None:
    """Rounding may leave a weighted pick on a row taken already (or past the end): the next row not
    taken instead, deterministically. Rare; a row at a time."""
    if taken.shape[1] == 0:
        return
    for i in np.flatnonzero((taken == pick[:, None]).any(axis=1)):
        used = set(taken[i].tolist())
        candidate = int(pick[i])
        while candidate in used:
            candidate = (candidate + 1) % size
        pick[i] = candidate


def domain_values(values: pl.Series, spec, ctx, index: np.ndarray) -> pl.Series:
    """The values at `index` of a field's finite domain (days, whole numbers, decimals)."""
    lo = spec.domain_first(ctx.design)
    if isinstance(lo, dt.date):  # a domain of days
        first = (lo - dt.date(1970, 1, 1)).days
        return pl.Series(index + first, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    if values.dtype.is_integer():
        return pl.Series(int(math.ceil(lo)) + index, dtype=values.dtype)
    step = 10.0**-spec.decimals
    return pl.Series(np.round(lo + index * step, spec.decimals), dtype=pl.Float64)


def tuple_values(values: pl.Series, spec, ctx, names: tuple[str, ...], place: int) -> pl.Series:
    """A field of a tuple built from its fields' domains (model/tuples.py): row r of the entity
    takes the r-th index of a seeded permutation of the product domain, shared by the tuple's
    fields, and this field reads its digit (mixed radix, the first field the most significant)."""
    size, sizes = product_size(ctx.design, ctx.entity, names)
    end = ctx.offset + ctx.n
    if end > size:
        ent = ctx.design.entities[ctx.entity]
        raise GenerationError(
            f"({', '.join(names)}) asks {end} distinct tuples of a domain of {size}",
            path=f"entities.{ctx.entity}.{'primary_key' if names == ent.composite_key else 'unique'}",
        )
    index = _tuple_index(ctx, names, size)
    below = math.prod(sizes[place + 1 :])
    digit = np.asarray((index // below) % sizes[place], dtype=np.int64)
    return domain_values(values, spec, ctx, digit)


def _tuple_index(ctx, names: tuple[str, ...], size: int) -> np.ndarray:
    rows = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
    stream = rng(ctx.design.info.seed, ctx.entity, "+".join(names), ENTITY_WIDE, "tuple")
    if size <= 1 << 22:  # a true random permutation, cached for the run
        permutations = ctx.run.unique.permutations
        name = (ctx.entity, "+".join(names), "tuple", size)
        if name not in permutations:
            permutations[name] = stream.permutation(size)
        return permutations[name][rows]
    multiplier = int(stream.integers(1, size))
    while math.gcd(multiplier, size) != 1:
        multiplier += 1
    shift = int(stream.integers(0, size))
    return (rows.astype(object) * multiplier + shift) % size
