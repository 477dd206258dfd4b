"""Distributions, drawn with numpy; truncated to [min, max] exactly (engine/truncation.py).

Untruncated laws use numpy's samplers. A truncated one takes one uniform per row through the
inverse CDF (continuous laws) or a probability table (Poisson): no redraws, no fallback.
`dtype = "int"` takes the nearest whole number (round half up) of a draw truncated to
[ceil(min) - 0.5, floor(max) + 0.5): each whole number in [min, max] keeps its cell's probability.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import polars as pl

from ...model.kinds import Beta, Exponential, Gamma, Lognormal, Normal, Poisson, Uniform, Zipf
from ...model.laws import window
from .. import truncation
from .registry import draws


def _within(values: np.ndarray, spec, step: float) -> np.ndarray:
    """Rounded values that fell outside [min, max] go to the nearest multiple of `step` inside."""
    lo, hi = _range(spec)
    if lo is not None:
        values = np.where(values < lo, math.ceil(round(lo / step, 9)) * step, values)
    if hi is not None:
        values = np.where(values > hi, math.floor(round(hi / step, 9)) * step, values)
    return values


def _range(spec) -> tuple[float | None, float | None]:
    return spec.scaled_to() if isinstance(spec, Beta) else (spec.min, spec.max)


def _finish(values: np.ndarray, spec, is_int: bool) -> pl.Series:
    if is_int:
        return pl.Series(_within(np.floor(values + 0.5), spec, 1).astype(np.int64), dtype=pl.Int64)
    if getattr(spec, "decimals", None) is not None:
        values = _within(np.round(values, spec.decimals), spec, 10.0**-spec.decimals)
    return pl.Series(values, dtype=pl.Float64)


def _continuous(spec, ctx, draw) -> pl.Series:
    bounds, rng = window(spec), ctx.rng()
    if bounds is None:
        values = draw(rng, ctx.n)
    else:
        lo, hi = bounds
        assert hi is not None, "a continuous law's window is closed (±inf where open)"
        values = truncation.continuous(spec.law(), lo, hi, rng.random(ctx.n))
    return _finish(np.asarray(values, dtype=np.float64), spec, spec.dtype == "int")


@draws(Uniform)
def uniform(spec: Uniform, ctx) -> pl.Series:
    rng = ctx.rng()
    if spec.dtype == "int":
        lo, hi = int(np.ceil(spec.min)), int(np.floor(spec.max))
        return pl.Series(rng.integers(lo, hi + 1, ctx.n), dtype=pl.Int64)
    return _finish(rng.uniform(spec.min, spec.max, ctx.n), spec, False)


@draws(Normal)
def normal(spec: Normal, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.normal(spec.mean, spec.std, k))


@draws(Lognormal)
def lognormal(spec: Lognormal, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.lognormal(spec.mean, spec.sigma, k))


@draws(Exponential)
def exponential(spec: Exponential, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.exponential(spec.scale, k))


@draws(Gamma)
def gamma(spec: Gamma, ctx) -> pl.Series:
    return _continuous(spec, ctx, lambda r, k: r.gamma(spec.shape, spec.scale, k))


@draws(Beta)
def beta(spec: Beta, ctx) -> pl.Series:
    """Beta(a, b) on [0, 1], scaled to [min, max] (default [0, 1])."""
    lo, hi = spec.scaled_to()
    values = lo + (hi - lo) * ctx.rng().beta(spec.a, spec.b, ctx.n)
    return _finish(values, spec, spec.dtype == "int")


@draws(Poisson)
def poisson(spec: Poisson, ctx) -> pl.Series:
    bounds, rng, law = window(spec), ctx.rng(), spec.law()
    if bounds is None:
        values = rng.poisson(spec.mean, ctx.n)
    else:
        lo, hi = int(bounds[0]), (None if bounds[1] is None else int(bounds[1]))  # Poisson's window: whole numbers
        if law.holds_bulk(lo, hi):  # the window cuts off nothing a sample could show
            values = np.clip(rng.poisson(spec.mean, ctx.n), lo, np.iinfo(np.int64).max if hi is None else hi)
        else:
            support, cumulative, _ = law.table(lo, hi)
            values = truncation.discrete(support, cumulative, rng.random(ctx.n))
    if spec.dtype == "float":
        return pl.Series(values.astype(np.float64), dtype=pl.Float64)
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


@draws(Zipf)
def zipf(spec: Zipf, ctx) -> pl.Series:
    ranks = zipf_ranks(ctx.rng(), spec.exponent, spec.max, ctx.n) + 1
    return pl.Series(ranks.astype(np.int64), dtype=pl.Int64 if spec.dtype != "float" else pl.Float64)
