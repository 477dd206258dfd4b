"""Statistics of one generated column, for the TUI's statistics panel (headless, pure polars)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class ColumnStats:
    rows: int
    null_share: float
    distinct_share: float
    numbers: dict[str, float] = field(default_factory=dict)  # min, max, mean, std where they apply
    bars: list[tuple[str, int]] = field(default_factory=list)  # histogram bins or top values, with counts
    histogram: bool = False  # True: bars are ordered bins; False: top values by count


def column_stats(values: pl.Series, bins: int = 16, top: int = 10) -> ColumnStats:
    rows = len(values)
    present = values.drop_nulls()
    null_share = (rows - len(present)) / rows if rows else 0.0
    distinct_share = present.n_unique() / len(present) if len(present) else 0.0
    dtype = values.dtype
    numbers: dict[str, float] = {}
    if len(present) and (dtype.is_numeric() or dtype in (pl.Date,) or isinstance(dtype, pl.Datetime)):
        as_float = present.cast(pl.Float64) if dtype.is_numeric() else present.to_physical().cast(pl.Float64)
        if dtype.is_numeric():
            numbers = {
                "min": _float(as_float.min()),
                "max": _float(as_float.max()),
                "mean": _float(as_float.mean()),
                "std": _float(as_float.std()),
            }
        else:
            numbers = {}
        if present.n_unique() > top and dtype != pl.Boolean:
            return ColumnStats(rows, null_share, distinct_share, numbers, _histogram(present, as_float, bins), True)
    counts = present.cast(pl.String).value_counts(sort=True).head(top)
    bars = [(str(v), int(c)) for v, c in counts.iter_rows()]
    return ColumnStats(rows, null_share, distinct_share, numbers, bars, False)


def _float(value: object) -> float:
    """An aggregate of a Float64 column with values (polars types it as any scalar): None is the std of one value."""
    return float(value) if isinstance(value, (int, float)) else 0.0


def _histogram(present: pl.Series, as_float: pl.Series, bins: int) -> list[tuple[str, int]]:
    lo, hi = _float(as_float.min()), _float(as_float.max())
    width = (hi - lo) / bins or 1.0
    index = ((as_float - lo) / width).floor().clip(0, bins - 1).cast(pl.Int64)
    counts = index.value_counts().sort(index.name)
    by_bin = dict(counts.iter_rows())
    labels = []
    for b in range(bins):
        start = lo + b * width
        labels.append(_label(present.dtype, start))
    return [(labels[b], int(by_bin.get(b, 0))) for b in range(bins)]


def _label(dtype, start: float) -> str:
    if dtype == pl.Date:
        return str(pl.Series([int(start)]).cast(pl.Int32).cast(pl.Date)[0])
    if isinstance(dtype, pl.Datetime):
        return str(pl.Series([int(start)]).cast(pl.Datetime(dtype.time_unit or "us"))[0])[:16]
    return compact(start, integer=dtype.is_integer())


def compact(x: float, integer: bool = False) -> str:
    """One number format for every label and fact: three significant digits, thousands
    separators below a million and M, B, T, P above (1.07M), never an exponent (1.072e+04)."""
    size = abs(x)
    if size >= 1e6:
        for limit, suffix in ((1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M")):
            if size >= limit:
                return f"{x / limit:.3g}{suffix}"
    if integer or size >= 100 or x == int(x):
        return f"{x:,.0f}"
    decimals = 1 if size >= 10 else 2 if size >= 1 else min(8, 2 - math.floor(math.log10(size)))
    return f"{x:.{decimals}f}".rstrip("0").rstrip(".")
