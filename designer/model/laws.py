"""The probability laws behind the numeric kinds: CDF, survival and their inverses, in far tails too.

The model uses them to refuse, at load time, a [min, max] window that holds no probability; the
engine to sample the truncated law exactly (engine/truncation.py). scipy.special gives tail-safe
functions (ndtr, ndtri, log_ndtr, the regularized incomplete gamma and its inverses); it is
imported on first use, so a design without truncated distributions never loads it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MIN_MASS = 1e-300
"""Below this a window holds no probability that float64 can sample from (subnormal territory)."""


def _sp():
    import scipy.special

    return scipy.special


@dataclass(frozen=True)
class Continuous:
    """A continuous law through scipy.special: `name` picks the formulas, `a`, `b` its parameters."""

    name: str  # "normal" | "lognormal" | "exponential" | "gamma"
    a: float
    b: float = 1.0

    def label(self) -> str:
        params = {
            "normal": "mean={a:g}, std={b:g}",
            "lognormal": "mean={a:g}, sigma={b:g}",
            "exponential": "scale={a:g}",
            "gamma": "shape={a:g}, scale={b:g}",
        }[self.name]
        return f"{self.name}({params.format(a=self.a, b=self.b)})"

    def _z(self, x):
        """The argument of the standard law: z of the (log-)normal, x/scale of the others."""
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.name == "normal":
                return (x - self.a) / self.b
            if self.name == "lognormal":
                return (np.log(np.where(x > 0, x, 0.0)) - self.a) / self.b
            scale = self.a if self.name == "exponential" else self.b
            return np.maximum(x, 0.0) / scale

    def cdf(self, x):
        z, sp = self._z(x), _sp()
        if self.name in ("normal", "lognormal"):
            return sp.ndtr(z)
        return -np.expm1(-z) if self.name == "exponential" else sp.gammainc(self.a, z)

    def sf(self, x):
        z, sp = self._z(x), _sp()
        if self.name in ("normal", "lognormal"):
            return sp.ndtr(-z)
        return np.exp(-z) if self.name == "exponential" else sp.gammaincc(self.a, z)

    def log_sf(self, x):
        """log of the survival function, finite where sf underflows (normal family, exponential)."""
        z, sp = self._z(x), _sp()
        if self.name in ("normal", "lognormal"):
            return sp.log_ndtr(-z)
        if self.name == "exponential":
            return -z
        with np.errstate(divide="ignore"):
            return np.log(sp.gammaincc(self.a, z))

    def _from_z(self, z):
        if self.name == "normal":
            return self.a + self.b * z
        if self.name == "lognormal":
            return np.exp(self.a + self.b * z)
        return z * (self.a if self.name == "exponential" else self.b)

    def ppf(self, q):
        sp = _sp()
        if self.name in ("normal", "lognormal"):
            return self._from_z(sp.ndtri(q))
        with np.errstate(divide="ignore"):
            z = -np.log1p(-q) if self.name == "exponential" else sp.gammaincinv(self.a, q)
        return self._from_z(z)

    def isf(self, q):
        """The x whose survival is q: precise where 1 - q would round to 1 (upper tails)."""
        sp = _sp()
        if self.name in ("normal", "lognormal"):
            return self._from_z(-sp.ndtri(q))
        with np.errstate(divide="ignore"):
            z = -np.log(q) if self.name == "exponential" else sp.gammainccinv(self.a, q)
        return self._from_z(z)

    def log_mass(self, lo: float, hi: float) -> float:
        """log P(lo <= X <= hi), from whichever side keeps precision."""
        by_cdf = float(self.cdf(hi) - self.cdf(lo))
        by_sf = float(self.sf(lo) - self.sf(hi))
        mass = max(by_cdf, by_sf)
        if mass > MIN_MASS:
            return math.log(mass)
        upper, lower = float(self.log_sf(lo)), float(self.log_sf(hi))  # far upper tail, in logs
        if lo > self.median() and math.isfinite(upper) and lower < upper:
            return upper + math.log1p(-math.exp(lower - upper))
        return math.log(mass) if mass > 0 else -math.inf

    def median(self) -> float:
        return float(self.ppf(np.float64(0.5)))


@dataclass(frozen=True)
class Poisson:
    """Poisson(mean): a discrete law, sampled through a table of its probabilities on the window."""

    mean: float

    def label(self) -> str:
        return f"poisson(mean={self.mean:g})"

    def log_pmf(self, k: np.ndarray) -> np.ndarray:
        sp = _sp()
        return sp.xlogy(k, self.mean) - self.mean - sp.gammaln(k + 1.0)

    def table(self, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray, float]:
        """The support kept (ints), its cumulative probabilities (normalized) and the window's log mass."""
        return _poisson_table(float(self.mean), int(lo), None if hi is None else int(hi))

    def holds_bulk(self, lo: int, hi: int | None) -> bool:
        """Whether the window holds every value of probability above e^-72 of the peak's (the
        support an unbounded window's table would keep): then the truncation changes nothing a
        sample could show, and the untruncated sampler is exact."""
        first, last = _support(float(self.mean), 0, None)
        return lo <= first and (hi is None or hi >= last)

    def table_size(self, lo: int, hi: int | None) -> int:
        first, last = _support(float(self.mean), int(lo), None if hi is None else int(hi))
        return max(0, last - first + 1)

    def check_table(self, lo: int, hi: int | None) -> None:
        """Refuse a window whose probability table would not fit in memory (a huge mean cut inside
        its bulk); a window holding the bulk needs no table."""
        size = self.table_size(lo, hi)
        if self.holds_bulk(lo, hi) or size <= MAX_TABLE:
            return
        raise ValueError(
            f"{self.label()} cut to [{lo:,}, {'...' if hi is None else f'{hi:,}'}] inside its bulk needs a table of "
            f"{size:,} probabilities (at most {MAX_TABLE:,}); for a mean this large use "
            'kind = "normal" with std = sqrt(mean) and dtype = "int", or bounds that hold the whole distribution'
        )

    def log_mass(self, lo: int, hi: int | None) -> float:
        if self.holds_bulk(lo, hi):
            return 0.0  # within e^-72 of it
        return self.table(lo, hi)[2]


MAX_TABLE = 4_000_000  # probabilities in a Poisson table: 64 MB with its cumulative sums


def _support(mean: float, lo: int, hi: int | None) -> tuple[int, int]:
    """The integers a window's table holds: around the window's most likely point c, 12 standard
    deviations (+60) hold every probability above e^-72 of c's (the log-pmf is concave, so it
    falls at least that fast beyond). Empty (first > last) when lo > hi."""
    reach = math.ceil(12 * math.sqrt(mean) + 60)
    top = math.inf if hi is None else hi
    if lo > top:
        return 0, -1
    c = min(max(math.floor(mean), lo), top)
    return int(max(lo, c - reach)), int(min(top, c + reach))


@lru_cache(maxsize=64)  # one table per window, not per block
def _poisson_table(mean: float, lo: int, hi: int | None):
    first, last = _support(mean, lo, hi)
    if first > last:
        return np.zeros(0, dtype=np.int64), np.zeros(0), -math.inf
    support = np.arange(first, last + 1, dtype=np.int64)
    logp = Poisson(mean).log_pmf(support.astype(np.float64))
    peak = float(np.max(logp))
    weights = np.exp(logp - peak)
    total = float(np.sum(weights))
    return support, np.cumsum(weights) / total, peak + math.log(total)


def _counts_window(lo: float | None, hi: float | None) -> tuple[int, int | None]:
    """Poisson's window: the counts ceil(min) .. floor(max), from 0 and open above without a max."""
    return (max(0, math.ceil(lo)) if lo is not None else 0), (None if hi is None else math.floor(hi))


def window(spec) -> tuple[float, float | None] | None:
    """The interval a bounded spec's law is truncated to; None when it is not truncated.

    A whole-number draw (dtype = "int", and Poisson always) is the nearest integer of the law's
    value (round half up), so the continuous law is truncated to [ceil(min) - 0.5, floor(max) + 0.5):
    every whole number in [min, max] keeps exactly the probability of its half-open unit cell.
    Poisson's window is the integers ceil(min) .. floor(max).
    """
    lo, hi = spec.min, spec.max
    if lo is None and hi is None:
        return None
    if isinstance(spec.law(), Poisson):
        return _counts_window(lo, hi)
    if spec.dtype == "int":
        return (-math.inf if lo is None else math.ceil(lo) - 0.5), (math.inf if hi is None else math.floor(hi) + 0.5)
    return (-math.inf if lo is None else float(lo)), (math.inf if hi is None else float(hi))


def check_mass(spec) -> None:
    """Refuse a window with no probability to sample from (ValueError: the model's message)."""
    bounds = window(spec)
    if bounds is None:
        return
    lo, hi = bounds
    if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi)) or (hi is not None and lo > hi):
        return  # nan bounds or an empty integer window: other checks name those
    law = spec.law()
    if isinstance(law, Poisson) and math.isfinite(law.mean):
        law.check_table(*_counts_window(spec.min, spec.max))
    try:
        log_mass = law.log_mass(lo, hi)
    except (ValueError, OverflowError, ArithmeticError):
        return  # non-finite parameters: the model's limit checks refuse them
    if math.isnan(log_mass) or log_mass >= math.log(MIN_MASS):
        return
    held = "a probability below 1e-308" if log_mass == -math.inf else f"a probability of 10^{log_mass / math.log(10):.1f}"
    shown = f"[{_num(spec.min)}, {_num(spec.max)}]"
    raise ValueError(
        f"{law.label()} has {held} in {shown} (at least {MIN_MASS:g} is needed to draw values there); "
        "widen min/max or move the distribution"
    )


def _num(value) -> str:
    return "..." if value is None else f"{value:g}"
