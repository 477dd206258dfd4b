"""Seeded permutations of a domain [0, size): row r of an entity takes the r-th index, so no index
repeats, and the same row gets the same index whatever the block, chunk or worker. Used by
`unique` (finite domains) and by unique references (each row of the target at most once)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import GenerationError


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
