"""What a column's rows say: its null share, a choice of its values where they are few, the law
that fits its numbers best, the span of its times, the Faker provider its text looks like.

Privacy: text values are copied into a preset only from a small categorical column (at most
CATEGORICAL_VALUES distinct values, each seen ROWS_PER_VALUE times on average), and `no_values`
copies no value at all (no categories, bounds or parameters measured from the rows).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

CATEGORICAL_VALUES = 20  # at most this many distinct values make a `choice`
ROWS_PER_VALUE = 10  # ... and only where the rows hold each value this often on average
MIN_FIT = 20  # fewer numbers than this are described by their range alone
ZIPF_RANKS = 1_000_000  # ranks a zipf fit considers at most (its weights are summed over all of them)


@dataclass
class Measured:
    spec: dict[str, Any]
    why: str


def null_share(values: pl.Series) -> float:
    return values.null_count() / len(values) if len(values) else 0.0


def categorical(values: pl.Series) -> bool:
    present = values.drop_nulls()
    distinct = present.n_unique()
    return 0 < distinct <= CATEGORICAL_VALUES and len(present) >= ROWS_PER_VALUE * distinct


def choice(values: pl.Series, family: str) -> Measured:
    present = values.drop_nulls()
    counts = present.value_counts(sort=True)
    pairs = [(_plain(v, family), int(c)) for v, c in counts.iter_rows()]
    pairs.sort(key=lambda p: (-p[1], str(p[0])))
    why = f"{len(pairs)} distinct values in {len(present):,} rows"
    if len(pairs) == 1:
        return Measured({"kind": "const", "value": pairs[0][0]}, why)
    return Measured({"kind": "choice", "values": [p[0] for p in pairs], "weights": [p[1] for p in pairs]}, why)


def _plain(value: Any, family: str) -> Any:
    """A value as TOML writes it: decimals as floats, times as ISO text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if family in ("decimal", "float") and value is not None:
        return float(value)
    if hasattr(value, "is_integer") and not isinstance(value, float):  # Decimal
        return float(value)
    return value


def decimals_of(x: np.ndarray) -> int:
    for d in range(7):
        if np.allclose(np.round(x, d), x, rtol=0, atol=1e-9):
            return d
    return 6


def _truncated(cdf, lo: float, hi: float):
    low, high = cdf(lo), cdf(hi)
    mass = high - low
    return lambda x: np.clip((cdf(x) - low) / mass, 0, 1) if mass > 0 else np.zeros_like(x)


def fit_numbers(x: np.ndarray, integer: bool) -> Measured:
    """The law of the format that fits these numbers best, truncated to their range as designer
    truncates it, chosen by the Kolmogorov-Smirnov distance (for whole numbers, between the
    rounded law's CDF and the rows' at each value)."""
    x = np.asarray(x, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    bounds: dict[str, Any] = {"min": _num(lo, integer), "max": _num(hi, integer)}
    extra: dict[str, Any] = {"dtype": "int"} if integer else _decimals(x)
    if len(x) < MIN_FIT or lo == hi:
        return Measured({"kind": "uniform", **bounds, **extra}, f"range of {len(x):,} values")
    mean, std = float(x.mean()), float(x.std())
    candidates: list[tuple[str, dict[str, Any], Any]] = [
        ("uniform", {}, stats.uniform(lo, hi - lo).cdf),
    ]
    if std > 0:
        candidates.append(("normal", {"mean": _r(mean), "std": _r(std)}, stats.norm(mean, std).cdf))
    if lo > 0:
        logs = np.log(x)
        mu, sigma = float(logs.mean()), float(logs.std())
        if sigma > 0:
            candidates.append(("lognormal", {"mean": _r(mu), "sigma": _r(sigma)}, stats.lognorm(sigma, scale=math.exp(mu)).cdf))
        shape, _, scale = stats.gamma.fit(x, floc=0)
        if math.isfinite(shape) and math.isfinite(scale) and shape > 0:
            candidates.append(("gamma", {"shape": _r(shape), "scale": _r(scale)}, stats.gamma(shape, scale=scale).cdf))
    if lo >= 0 and mean > 0:
        candidates.append(("exponential", {"scale": _r(mean)}, stats.expon(scale=mean).cdf))
    if integer and lo >= 0 and mean > 0:
        candidates.append(("poisson", {"mean": _r(mean)}, stats.poisson(mean).cdf))
    if integer and lo == 1 and hi <= ZIPF_RANKS:
        exponent = _zipf_exponent(x, int(hi))
        candidates.append(("zipf", {"exponent": _r(exponent)}, stats.zipfian(exponent, int(hi)).cdf))
    best = None
    ks = np.sort(x)
    for law, params, cdf in candidates:
        if law in ("poisson", "zipf"):  # discrete laws: their own CDF at each value
            window = _truncated(cdf, lo - 1, hi)
            points = np.unique(ks)
            distance = _discrete_ks(ks, points, window(points))
        elif integer and law != "uniform":
            window = _truncated(cdf, lo - 0.5, hi + 0.5)
            points = np.unique(ks)
            distance = _discrete_ks(ks, points, window(points + 0.5))
        elif integer:  # whole-number uniform: each value as likely
            points = np.unique(ks)
            distance = _discrete_ks(ks, points, (points - lo + 1) / (hi - lo + 1))
        else:
            distance = float(stats.kstest(ks, _truncated(cdf, lo, hi)).statistic)
        if best is None or distance < best[0] - 1e-12:
            best = (distance, law, params)
    assert best is not None
    distance, law, params = best
    spec: dict[str, Any] = {"kind": law, **params, **bounds}
    if law == "zipf":  # ranks 1..max: no min, no dtype
        spec = {"kind": "zipf", **params, "max": bounds["max"]}
    elif law != "poisson":
        spec.update(extra)
    return Measured(spec, f"{law} fits best of {len(candidates)} laws (KS {distance:.3f}) over {len(x):,} values")


def _zipf_exponent(x: np.ndarray, ranks: int) -> float:
    """The maximum-likelihood exponent of a zipf law on 1..ranks."""
    from scipy.optimize import minimize_scalar

    logs = float(np.log(x).sum())
    k = np.log(np.arange(1, ranks + 1, dtype=float))

    def minus_loglik(s: float) -> float:
        return s * logs + len(x) * float(np.log(np.exp(-s * k).sum()))

    return float(minimize_scalar(minus_loglik, bounds=(0.01, 10.0), method="bounded").x)


def _discrete_ks(sorted_x: np.ndarray, points: np.ndarray, model: np.ndarray) -> float:
    empirical = np.searchsorted(sorted_x, points, side="right") / len(sorted_x)
    return float(np.max(np.abs(empirical - model)))


def _decimals(x: np.ndarray) -> dict[str, Any]:
    return {"decimals": decimals_of(x)}


def _num(value: float, integer: bool) -> int | float:
    return int(round(value)) if integer else float(value)


def _r(value: float) -> float:
    return float(f"{value:.6g}")


SKEWED = 1e-3  # the p-value below which rows pointed at unevenly are taken for popularity, not chance


def reference_skew(histogram: dict[int, int]) -> Measured | None:
    """A zipf `exponent` for a reference whose rows point at some rows far more often than even
    draws would (the index-of-dispersion test: under even draws the counts per row pointed at
    are Poisson, their variance their mean), fitted to the rank-frequency of the rows pointed at,
    most pointed-at first, and kept where it fits better than even use (KS)."""
    per_row = np.repeat(np.array(list(histogram), dtype=np.int64), np.array(list(histogram.values()), dtype=np.int64))
    per_row = np.sort(per_row)[::-1]
    size, total = len(per_row), int(per_row.sum())
    if size < 2 or total < 50 or size > ZIPF_RANKS:
        return None
    mean = total / size
    dispersion = float(((per_row - mean) ** 2).sum() / mean)
    if stats.chi2.sf(dispersion, size - 1) >= SKEWED:
        return None
    ranks = np.repeat(np.arange(1, size + 1, dtype=float), per_row)
    exponent = _zipf_exponent(ranks, size)
    points = np.arange(1, size + 1, dtype=float)
    zipf_distance = _discrete_ks(ranks, points, stats.zipfian(exponent, size).cdf(points))
    even_distance = _discrete_ks(ranks, points, points / size)
    if zipf_distance >= even_distance:
        return None
    return Measured(
        {"distribution": "zipf", "exponent": _r(exponent)},
        f"zipf {exponent:.2f} fits how often {size:,} rows are pointed at (KS {zipf_distance:.3f}, even {even_distance:.3f})",
    )


def counts_spec(histogram: dict[int, int]) -> Measured:
    """A child entity's `count` from the children each parent row has (0 included)."""
    parents = sum(histogram.values())
    why = f"children per parent row over {parents:,} parent rows"
    if len(histogram) <= CATEGORICAL_VALUES:
        pairs = sorted(histogram.items())
        if len(pairs) == 1:
            return Measured({"kind": "const", "value": pairs[0][0]}, why)
        return Measured({"kind": "choice", "values": [p[0] for p in pairs], "weights": [p[1] for p in pairs]}, why)
    x = np.repeat(np.array(list(histogram), dtype=float), np.array(list(histogram.values())))
    fitted = fit_numbers(x, integer=True)
    spec = {k: v for k, v in fitted.spec.items() if k != "dtype"}
    if spec["kind"] in ("lognormal", "gamma", "exponential"):  # counts take whole-number laws only
        spec = {"kind": "poisson", "mean": _r(float(x.mean())), "min": spec["min"], "max": spec["max"]}
    return Measured(spec, f"{why}; {fitted.why}")


def moments(values: pl.Series) -> pl.Series:
    """Dates and times, parsed where a source stores them as text (SQLite)."""
    if values.dtype == pl.String:
        parsed = values.str.to_datetime(strict=False, time_unit="us")
        return parsed
    return values


def time_span(values: pl.Series, reference: dt.datetime, date: bool) -> Measured:
    """start and end relative to reference_time, in whole days around the rows' span."""
    present = values.drop_nulls()
    lo, hi = present.min(), present.max()
    assert isinstance(lo, (dt.date, dt.datetime)) and isinstance(hi, (dt.date, dt.datetime))
    lo_t = lo if isinstance(lo, dt.datetime) else dt.datetime.combine(lo, dt.time())
    hi_t = hi if isinstance(hi, dt.datetime) else dt.datetime.combine(hi, dt.time())
    start = math.ceil((reference - lo_t).total_seconds() / 86400)
    end = math.floor((reference - hi_t).total_seconds() / 86400)
    spec = {"kind": "date" if date else "datetime", "start": f"-{start}d", "end": f"-{end}d" if end > 0 else "now"}
    return Measured(spec, f"{lo} to {hi} in {len(present):,} rows")


def bool_share(values: pl.Series) -> Measured:
    present = values.drop_nulls().cast(pl.Boolean)
    p = float(present.mean() or 0.0) if len(present) else 0.5  # type: ignore[arg-type]
    return Measured({"kind": "bool", "p": round(p, 4)}, f"{p:.1%} true in {len(present):,} rows")
