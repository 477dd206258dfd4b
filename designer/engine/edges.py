"""Edge cases (`edge_rate`): the values that break parsers, forms and databases, within the field's bounds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

TEXT_EDGES = [
    "",
    " ",
    "   leading and trailing   ",
    "x" * 1000,
    "O'Brien",
    'She said "hi"',
    "comma, separated; value",
    "line\nbreak",
    "tab\tinside",
    "Robert'); DROP TABLE students;--",
    "<script>alert(1)</script>",
    "NULL",
    "null",
    "ñandú café naïve",
    "e\u0301\u0301 combining marks",
    "مرحبا بالعالم",  # right-to-left
    "שלום עולם",
    "😀🎉👍🏽 emoji",
    "👨‍👩‍👧‍👦",
    "\u200bzero\u200bwidth",
    "日本語テキスト",
    "Ω≈ç√∫˜µ≤≥÷",
    "\\backslash\\",
    "%s %d {0}",
]


def _observed(values: pl.Series, spec) -> tuple | None:
    """A Faker field's bounds are its provider's (a port from 0 to 65535, a date in the last two
    years), which the preset does not state: the block's own lowest and highest values stand in,
    so edges stay inside what the field gives."""
    present = values.drop_nulls()
    return (present.min(), present.max()) if spec.edges_observed() and len(present) else None


def _numeric_edges(spec, is_int: bool, observed: tuple | None = None) -> list:
    lo, hi = observed or spec.bounds()
    if is_int:
        first, last = (int(np.ceil(lo)) if lo is not None else -(2**63)), (int(np.floor(hi)) if hi is not None else 2**63 - 1)
        whole = [first, first + 1, last, last - 1, 0, 1, -1, (first + last) // 2]
        return [v for v in dict.fromkeys(whole) if first <= v <= last]
    lo_ = lo if lo is not None else -1.7976931348623157e308
    hi_ = hi if hi is not None else 1.7976931348623157e308
    candidates = [lo_, hi_, 0.0, -0.0, 1e-9, -1e-9, 0.1 + 0.2, np.nextafter(lo_, np.inf), np.nextafter(hi_, -np.inf)]
    decimals = getattr(spec, "decimals", None)
    if decimals is not None:
        candidates = [round(v, decimals) for v in candidates if abs(v) < 1e15]
    return [float(v) for v in candidates if lo_ <= v <= hi_]


def _date_edges(lo: dt.date, hi: dt.date) -> list[dt.date]:
    candidates = [
        lo,
        hi,
        dt.date(1970, 1, 1),
        dt.date(2000, 2, 29),
        dt.date(2024, 2, 29),
        dt.date(1999, 12, 31),
        dt.date(2038, 1, 19),
        dt.date(1900, 1, 1),
        dt.date(9999, 12, 31),
        dt.date(1, 1, 1),
    ]
    for year in range(lo.year, min(hi.year, lo.year + 8) + 1):  # leap days and month ends inside the range
        candidates += [dt.date(year, 1, 31), dt.date(year, 12, 31), dt.date(year, 2, 28)]
        if year % 4 == 0 and (year % 100 or year % 400 == 0):
            candidates.append(dt.date(year, 2, 29))
    return [d for d in dict.fromkeys(candidates) if lo <= d <= hi]


def edge_pool(values: pl.Series, spec, ctx) -> pl.Series | None:
    dtype = values.dtype
    if dtype == pl.String:
        return pl.Series(TEXT_EDGES, dtype=pl.String)
    if dtype == pl.Boolean:  # a Faker field's only what it gave (pybool at 100% is never false)
        return values.drop_nulls().unique(maintain_order=True) if spec.observed else pl.Series([True, False])
    if dtype.is_integer() or dtype.is_float():
        edges = _numeric_edges(spec, dtype.is_integer(), _observed(values, spec))
        return pl.Series(edges, dtype=dtype) if edges else None
    if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        if (span := spec.time_bounds(ctx.design)) is not None:
            lo, hi = span
        elif (observed := _observed(values, spec)) is not None:
            lo, hi = (v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day) for v in observed)
        else:
            lo, hi = dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)
        days = _date_edges(lo.date(), hi.date())
        if dtype == pl.Date:
            return pl.Series(days, dtype=pl.Date)
        moments = [dt.datetime(d.year, d.month, d.day) for d in days] + [lo, hi]
        moments += [dt.datetime(d.year, d.month, d.day, 23, 59, 59) for d in days]
        return pl.Series([m for m in dict.fromkeys(moments) if lo <= m <= hi], dtype=pl.Datetime("us"))
    return None


def apply_edges(values: pl.Series, spec, ctx) -> pl.Series:
    """Replace a share `edge_rate` of rows by edge cases of the column's type."""
    pool = edge_pool(values, spec, ctx)
    if pool is None or not len(pool) or not len(values):
        return values
    hit = ctx.rng("edge").random(len(values)) < spec.edge_rate
    picks = pool.gather(pl.Series(ctx.rng("edge-pick").integers(0, len(pool), len(values))))
    if picks.dtype != values.dtype:
        picks = picks.cast(values.dtype)
    return pl.select(pl.when(pl.lit(pl.Series(hit))).then(pl.lit(picks)).otherwise(pl.lit(values))).to_series()
