"""faker: a column of a Faker provider, vectorized where the fakers package knows how."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...model.kinds import Faker
from .. import fakers
from ..columns import gather
from .registry import draws


def locale_weights(locale) -> list[tuple[str, float]]:
    if isinstance(locale, str):
        return [(locale, 1.0)]
    if isinstance(locale, list):
        return [(name, 1.0 / len(locale)) for name in locale]
    total = float(sum(locale.values()))
    return [(name, weight / total) for name, weight in locale.items()]


def provider_args(spec, ctx) -> dict:
    """The field's args, and "_now": Faker's dates count from the design's reference time, never the clock."""
    return {**spec.args, "_now": ctx.design.info.reference_time}


def row_locales(ctx) -> np.ndarray | None:
    """One draw per row, shared by every faker field of the entity: each row (a person, a company)
    takes one locale, so its names, city and phone agree. Keyed by the entity, not the field, so
    adding or removing a field changes no other field. Redrawn duplicates of a unique field
    (ctx.rows set) keep no row position and draw their locale from the field's own stream."""
    if ctx.rows is not None:
        return None
    return ctx.run.draw(ctx.entity, "__locale__", ctx.block.index, "").random(ctx.n)


@draws(Faker)
def faker(spec: Faker, ctx) -> pl.Series:
    locales = locale_weights(spec.locale or ctx.design.info.locale)
    args = provider_args(spec, ctx)
    if spec.pool:  # the user chose repeats for speed: draw a fixed pool once, then sample it
        pool = fakers.generate(spec.provider, args, locales, ctx.entity_rng("pool"), spec.pool)
        return gather(pool, ctx.rng().integers(0, spec.pool, ctx.n))
    draws = row_locales(ctx) if len(locales) > 1 else None
    return fakers.generate(spec.provider, args, locales, ctx.rng(), ctx.n, locale_draws=draws)
