"""faker: a column of a Faker provider, vectorized where the fakers package knows how."""

from __future__ import annotations

import polars as pl

from .. import fakers
from ..columns import gather

# Providers whose values depend on "today": they get the design's reference time instead of the clock.
_TODAY_AWARE = {"date_of_birth"}


def locale_weights(locale) -> list[tuple[str, float]]:
    if isinstance(locale, str):
        return [(locale, 1.0)]
    if isinstance(locale, list):
        return [(name, 1.0 / len(locale)) for name in locale]
    total = float(sum(locale.values()))
    return [(name, weight / total) for name, weight in locale.items()]


def provider_args(spec, ctx) -> dict:
    args = dict(spec.args)
    if spec.provider in _TODAY_AWARE:
        args["_today"] = ctx.design.design.reference_time.date()
    return args


def faker(spec, ctx) -> pl.Series:
    locales = locale_weights(spec.locale or ctx.design.design.locale)
    args = provider_args(spec, ctx)
    if spec.pool:  # the user chose repeats for speed: draw a fixed pool once, then sample it
        pool = fakers.generate(spec.provider, args, locales, ctx.entity_rng("pool"), spec.pool)
        return gather(pool, ctx.rng().integers(0, spec.pool, ctx.n))
    return fakers.generate(spec.provider, args, locales, ctx.rng(), ctx.n)
