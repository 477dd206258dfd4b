"""Distributions, drawn with numpy and truncated to [min, max] by drawing again.

`dtype = "int"` rounds to whole numbers; the continuous draw is then truncated to
[min - 0.5, max + 0.5) so the bounds are as likely as their neighbours.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl

MAX_REDRAWS = 200


def _truncated(draw, n: int, lo: float | None, hi: float | None, rng: np.random.Generator) -> np.ndarray:
    """n values of draw(k) within [lo, hi], redrawing the ones outside."""
    values = draw(n).astype(np.float64)
    if lo is None and hi is None:
        return values
    lo = -np.inf if lo is None else lo
    hi = np.inf if hi is None else hi
    for _ in range(MAX_REDRAWS):
        outside = np.flatnonzero((values < lo) | (values > hi))
        if not len(outside):
            return values
        values[outside] = draw(len(outside))
    # The bounds keep almost no mass: spread what is left uniformly rather than pile it on a bound.
    outside = (values < lo) | (values > hi)
    values[outside] = rng.uniform(lo, hi, outside.sum())
    return values


def _finish(values: np.ndarray, spec, is_int: bool) -> pl.Series:
    if is_int:
        out = np.rint(values)
        if getattr(spec, "min", None) is not None:
            out = np.maximum(out, np.ceil(spec.min))
        if getattr(spec, "max", None) is not None:
            out = np.minimum(out, np.floor(spec.max))
        return pl.Series(out.astype(np.int64), dtype=pl.Int64)
    if getattr(spec, "decimals", None) is not None:
        values = np.round(values, spec.decimals)
    return pl.Series(values, dtype=pl.Float64)


def _continuous(spec, ctx, draw, is_int: bool | None = None) -> pl.Series:
    is_int = spec.dtype == "int" if is_int is None else is_int
    lo, hi = spec.min, spec.max
    if is_int:
        lo = None if lo is None else lo - 0.5
        hi = None if hi is None else hi + 0.4999999
    rng = ctx.rng()
    return _finish(_truncated(lambda k: draw(rng, k), ctx.n, lo, hi, rng), spec, is_int)


def uniform(spec, ctx) -> pl.Series:
    rng = ctx.rng()
    if spec.dtype == "int":
        lo, hi = int(np.ceil(spec.min)), int(np.floor(spec.max))
        return pl.Series(rng.integers(lo, hi + 1, ctx.n), dtype=pl.Int64)
    return _finish(rng.uniform(spec.min, spec.max, ctx.n), spec, False)


def normal(spec, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.normal(spec.mean, spec.std, k))


def lognormal(spec, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.lognormal(spec.mean, spec.sigma, k))


def exponential(spec, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.exponential(spec.scale, k))


def beta(spec, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.beta(spec.a, spec.b, k))


def gamma(spec, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.gamma(spec.shape, spec.scale, k))


def poisson(spec, ctx) -> pl.Series:
    rng = ctx.rng()
    values = _truncated(lambda k: rng.poisson(spec.mean, k), ctx.n, spec.min, spec.max, rng)
    if spec.dtype == "float":
        return pl.Series(values, dtype=pl.Float64)
    return pl.Series(values.astype(np.int64), dtype=pl.Int64)


@lru_cache(maxsize=64)
def zipf_cdf(exponent: float, size: int) -> np.ndarray:
    """P(rank <= k) for ranks 1..size with P(k) proportional to k^-exponent (any exponent > 0)."""
    weights = np.arange(1, size + 1, dtype=np.float64) ** -float(exponent)
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def zipf_ranks(rng: np.random.Generator, exponent: float, size: int, n: int) -> np.ndarray:
    """n ranks in 0..size-1, rank 0 the most frequent."""
    return np.minimum(np.searchsorted(zipf_cdf(exponent, size), rng.random(n), side="right"), size - 1)


def zipf(spec, ctx) -> pl.Series:
    ranks = zipf_ranks(ctx.rng(), spec.exponent, spec.max, ctx.n) + 1
    return pl.Series(ranks.astype(np.int64), dtype=pl.Int64 if spec.dtype != "float" else pl.Float64)
