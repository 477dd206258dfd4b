"""How well observed values fit the law a field declares: chi-square for weights and whole numbers,
Kolmogorov-Smirnov against the exact truncated CDF for continuous kinds, binomial for rates.

Each test returns its statistic and p-value (scipy's exact distributions); the rules decide with
ALPHA. A value is compared with the cell it stands for: a number rounded to d decimals stands for
[v - h, v + h) with h = 0.5 x 10^-d, a whole number k for [k - 0.5, k + 0.5). The KS statistic is
then taken between the two ends of each cell, which never exceeds the distance for unrounded values
(the test stays exact or conservative, never falsely strict).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..model.kinds import Beta, Choice, Exponential, Gamma, Lognormal, Normal, Poisson, Uniform, Zipf
from ..model.laws import window

ALPHA = 1e-4
"""A statistical rule fails when its p-value is below this. A designer export of a shipped preset
is one fixed sample (the seed is fixed), so it either passes or not, and tests/check says it does;
a defect big enough to see (weights off by 0.1 over a few hundred rows, another law) gives p-values
far below it."""

MIN_EXPECTED = 5.0  # chi-square cells are merged until each expects this many
MAX_CELLS = 1_000_000  # whole numbers over a wider range are tested by KS on their unit cells
CELLS = 30  # and into about this many at most: fewer, fuller cells see a shifted law that many thin ones miss


@dataclass(frozen=True)
class Fit:
    test: str  # "chi-square", "KS", "binomial"
    statistic: float
    p_value: float
    detail: str = ""


# --- laws as CDFs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discrete:
    """A law on whole numbers: cdf(k) = P(X <= k) for integer arrays."""

    cdf: Callable[[np.ndarray], np.ndarray]
    label: str


@dataclass(frozen=True)
class Continuous:
    """A law on the reals; values were rounded to cells of half-width `half`."""

    cdf: Callable[[np.ndarray], np.ndarray]
    half: float
    label: str


def _truncated(cdf, sf, lo: float, hi: float, upper: bool) -> Callable[[np.ndarray], np.ndarray]:
    """The CDF of a law conditioned on [lo, hi]; from the survival side above the median, where
    1 - F would lose its digits (as the engine samples it)."""
    if upper:
        s_lo, s_hi = float(sf(lo)), float(sf(hi))
        return lambda x: np.clip((s_lo - sf(x)) / (s_lo - s_hi), 0.0, 1.0)
    c_lo, c_hi = float(cdf(lo)), float(cdf(hi))
    return lambda x: np.clip((cdf(x) - c_lo) / (c_hi - c_lo), 0.0, 1.0)


def law_of(spec) -> Discrete | Continuous | None:
    """The law a numeric spec draws its values from (after rounding), or None where it has none to
    test (a const, Faker, text)."""
    import scipy.stats as st

    whole = spec.dtype == "int"
    if isinstance(spec, Uniform):
        lo, hi = float(spec.min), float(spec.max)
        if whole:
            a, b = math.ceil(lo), math.floor(hi)
            return Discrete(lambda k: np.clip((np.floor(k) - a + 1) / (b - a + 1), 0.0, 1.0), f"uniform integers {a}..{b}")
        return Continuous(lambda x: np.clip((x - lo) / (hi - lo), 0.0, 1.0), _half(spec), f"uniform({lo:g}, {hi:g})")
    if isinstance(spec, (Normal, Lognormal, Exponential, Gamma)):
        law = spec.law()
        bounds = window(spec)
        if bounds is None:
            cdf = law.cdf
        else:
            lo, hi = bounds[0], math.inf if bounds[1] is None else bounds[1]  # a continuous window is closed (±inf)
            cdf = _truncated(law.cdf, law.sf, lo, hi, lo > law.median())
        label = law.label() + ("" if bounds is None else f" on [{_num(spec.min)}, {_num(spec.max)}]")
        if whole:
            return Discrete(lambda k: cdf(np.asarray(k, dtype=np.float64) + 0.5), label + ", whole numbers")
        return Continuous(cdf, _half(spec), label)
    if isinstance(spec, Beta):
        lo, hi = spec.scaled_to()
        dist = st.beta(spec.a, spec.b, loc=lo, scale=(hi - lo) or 1.0)
        label = f"beta(a={spec.a:g}, b={spec.b:g}) on [{lo:g}, {hi:g}]"
        if whole:
            return Discrete(lambda k: dist.cdf(np.asarray(k, dtype=np.float64) + 0.5), label + ", whole numbers")
        return Continuous(dist.cdf, _half(spec), label)
    if isinstance(spec, Poisson):
        mean = float(spec.mean)
        bounds = window(spec)
        label = spec.law().label()
        if bounds is None or spec.law().holds_bulk(int(bounds[0]), None if bounds[1] is None else int(bounds[1])):
            return Discrete(lambda k: st.poisson.cdf(k, mean), label)
        lo, top = int(bounds[0]), bounds[1]
        below = float(st.poisson.cdf(lo - 1, mean))
        mass = (1.0 - below) if top is None else float(st.poisson.cdf(top, mean)) - below
        return Discrete(lambda k: np.clip((st.poisson.cdf(k, mean) - below) / mass, 0.0, 1.0), f"{label} on [{lo}, {_num(top)}]")
    if isinstance(spec, Zipf):
        from ..engine.kinds.numeric import zipf_cdf

        table = zipf_cdf(float(spec.exponent), spec.max)
        size = spec.max

        def cdf(k):
            k = np.asarray(k, dtype=np.int64)
            return np.where(k < 1, 0.0, table[np.clip(k, 1, size) - 1])

        return Discrete(cdf, f"zipf(exponent={spec.exponent:g}, max={size})")
    return None


def _half(spec) -> float:
    decimals = getattr(spec, "decimals", None)
    return 0.0 if decimals is None else 0.5 * 10.0**-decimals


def _num(value) -> str:
    return "..." if value is None else f"{value:g}"


# --- tests --------------------------------------------------------------------------------------


def ks(values: np.ndarray, law: Continuous) -> Fit:
    """One-sample KS between the values' cells and the law's CDF, p from scipy's exact kstwo."""
    import scipy.stats as st

    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    i = np.arange(1, n + 1)
    above = float(np.max(i / n - law.cdf(x + law.half)))
    below = float(np.max(law.cdf(x - law.half) - (i - 1) / n))
    d = max(above, below, 0.0)
    return Fit("KS", d, float(st.kstwo.sf(d, n)), f"D = {d:.4f}, n = {n}")


def chi_square_discrete(values: np.ndarray, law: Discrete) -> Fit:
    """Chi-square of whole numbers against a law on them: a cell per value from the smallest to the
    largest seen, the tails lumped into the end cells, neighbours merged until each expects 5."""
    k = np.asarray(values, dtype=np.float64)
    if len(k) and not np.all(k == np.floor(k)):
        return Fit("chi-square", math.inf, 0.0, "values are not whole numbers")
    k = k.astype(np.int64)
    lo, hi = int(k.min()), int(k.max())
    if hi - lo > MAX_CELLS:  # too wide a range to hold a cell per value: KS on the unit cells instead
        return ks(k, Continuous(lambda x: law.cdf(np.floor(x)), 0.5, law.label))
    support = np.arange(lo, hi + 1)
    cum = law.cdf(support)
    probs = np.diff(np.concatenate([[0.0], cum]))
    probs[-1] += 1.0 - cum[-1]  # the upper tail into the last cell
    observed = np.bincount(k - lo, minlength=len(support)).astype(np.float64)
    return _chi_square(observed, probs)


def chi_square_categories(observed: np.ndarray, probs: np.ndarray) -> Fit:
    """Chi-square of category counts against their probabilities (a choice's weights)."""
    return _chi_square(np.asarray(observed, dtype=np.float64), np.asarray(probs, dtype=np.float64))


def _chi_square(observed: np.ndarray, probs: np.ndarray) -> Fit:
    import scipy.stats as st

    n = observed.sum()
    if np.any((probs <= 0) & (observed > 0)):
        return Fit("chi-square", math.inf, 0.0, "values the law never gives")
    cells_o, cells_e = _merged(observed, probs * n, max(MIN_EXPECTED, n / CELLS))
    if len(cells_o) < 2:
        return Fit("chi-square", 0.0, 1.0, "one cell")
    stat = float(np.sum((cells_o - cells_e) ** 2 / cells_e))
    df = len(cells_o) - 1
    return Fit("chi-square", stat, float(st.chi2.sf(stat, df)), f"chi2 = {stat:.1f}, df = {df}")


def _merged(observed: np.ndarray, expected: np.ndarray, least: float) -> tuple[np.ndarray, np.ndarray]:
    """Adjacent cells pooled, left to right, until each expects `least` (the last pooled into its
    neighbour if short); cells that expect nothing and hold nothing are dropped."""
    keep = (expected > 0) | (observed > 0)
    observed, expected = observed[keep], expected[keep]
    out_o: list[float] = []
    out_e: list[float] = []
    acc_o = acc_e = 0.0
    for o, e in zip(observed, expected, strict=True):
        acc_o, acc_e = acc_o + o, acc_e + e
        if acc_e >= least:
            out_o.append(acc_o)
            out_e.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0 or acc_o > 0:
        if out_e:
            out_o[-1] += acc_o
            out_e[-1] += acc_e
        else:
            out_o, out_e = [acc_o], [acc_e]
    return np.asarray(out_o), np.asarray(out_e)


def binomial(successes: int, trials: int, p: float) -> Fit:
    import scipy.stats as st

    result = st.binomtest(successes, trials, p)
    return Fit("binomial", successes / trials if trials else 0.0, float(result.pvalue), f"{successes} of {trials}")


def choice_probs(spec: Choice) -> np.ndarray:
    weights = np.asarray(spec.weights if spec.weights else [1] * len(spec.values), dtype=float)
    return weights / weights.sum()
