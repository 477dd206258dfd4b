"""Any provider, one Faker call per row: seeded from the block's generator, so still reproducible."""

from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import polars as pl

from ...model.design import DEFAULT_REFERENCE_TIME
from ...model.fakerclock import stopped_at, with_reference_day
from .vocab import generator


def per_row(provider: str, args: dict, locale: str, rng: np.random.Generator, n: int) -> pl.Series:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(int(rng.integers(2**63)))
    method = getattr(fake, provider)
    now = args.get("_now") or DEFAULT_REFERENCE_TIME  # not the day's date: the same rows tomorrow
    clean = with_reference_day(method, {k: v for k, v in args.items() if not k.startswith("_")}, now)
    with stopped_at(now):
        return as_series([method(**clean) for _ in range(n)])


def as_series(values: list) -> pl.Series:
    """A typed column from Python values; lists, dicts and other objects become text."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, bool):
        return pl.Series(values, dtype=pl.Boolean)
    if isinstance(sample, int):
        return pl.Series(values, dtype=pl.Int64)
    if isinstance(sample, (float, decimal.Decimal)):
        return pl.Series([None if v is None else float(v) for v in values], dtype=pl.Float64)
    if isinstance(sample, dt.datetime):
        return pl.Series([None if v is None else v.replace(tzinfo=None) for v in values], dtype=pl.Datetime("us"))
    if isinstance(sample, dt.date):
        return pl.Series(values, dtype=pl.Date)
    if isinstance(sample, bytes):
        return pl.Series([None if v is None else v.hex() for v in values], dtype=pl.String)
    return pl.Series([None if v is None else str(v) for v in values], dtype=pl.String)


__all__ = ["per_row", "as_series", "generator"]
