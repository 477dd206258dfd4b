"""Exact sampling of a law truncated to a window, one uniform per row.

Inverse CDF: u uniform in [0, 1) maps to x = F^-1(F(lo) + u (F(hi) - F(lo))). Above the median
the same is done with the survival function S = 1 - F, whose small values keep their precision
where F(x) would round to 1 (N(0, 1) on [10, 11]). Each row's value depends on its own uniform
only, never on how many rows the block has, so a smaller run gives a prefix of a larger one.
"""

from __future__ import annotations

import numpy as np


def continuous(law, lo: float, hi: float, u: np.ndarray) -> np.ndarray:
    """Values of `law` truncated to [lo, hi] (lo and hi may be infinite)."""
    if lo > law.median():  # the upper side: survival values are small and exact there
        s_lo, s_hi = float(law.sf(lo)), float(law.sf(hi))
        x = law.isf(s_lo - u * (s_lo - s_hi))
    else:
        c_lo, c_hi = float(law.cdf(lo)), float(law.cdf(hi))
        x = law.ppf(c_lo + u * (c_hi - c_lo))
    return np.clip(x, lo, hi)  # the inverse's last-bit rounding must not step outside


def discrete(support: np.ndarray, cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Values of a discrete law given as its support and normalized cumulative probabilities."""
    at = np.searchsorted(cumulative, u, side="right")
    return support[np.minimum(at, len(support) - 1)]
