"""How many distinct values a field can take, and how many rows an entity will have.

Used before generation, to refuse a `unique` field whose domain is too small
instead of retrying forever.
"""

from __future__ import annotations

import math

from .design import Design
from .timeexpr import parse_moment


def _int_range(lo, hi) -> int | None:
    if lo is None or hi is None:
        return None
    return max(0, math.floor(hi) - math.ceil(lo) + 1)


def domain_size(spec, design: Design) -> int | None:
    """The number of distinct values, or None when it is large or unknown."""
    kind = spec.kind
    if kind == "const":
        return 1
    if kind == "bool":
        return 2
    if kind == "choice":
        return len({repr(v) for v in spec.values})
    if kind == "zipf":
        return spec.max
    is_int = spec.dtype == "int" or kind == "poisson"
    if kind in ("uniform", "normal", "lognormal", "exponential", "poisson", "beta", "gamma"):
        lo, hi = getattr(spec, "min", None), getattr(spec, "max", None)
        if kind in ("poisson", "exponential", "lognormal", "gamma") and lo is None:
            lo = 0
        if is_int:
            return _int_range(lo, hi)
        if spec.decimals is not None and lo is not None and hi is not None:
            return int(round((hi - lo) * 10**spec.decimals)) + 1
        return None
    if kind in ("date", "datetime"):
        now = design.design.reference_time
        start, end = parse_moment(spec.start, now), parse_moment(spec.end, now)
        if kind == "date" or spec.dtype == "date":
            return max(0, (end.date() - start.date()).days + 1)
        return None
    return None


def count_range(spec) -> tuple[int, int | None]:
    """Smallest and largest count a count distribution can give (None: unbounded)."""
    kind = spec.kind
    if kind == "const":
        return int(spec.value), int(spec.value)
    if kind == "choice":
        return min(spec.values), max(spec.values)
    if kind == "zipf":
        return 1, spec.max
    lo = math.ceil(spec.min) if getattr(spec, "min", None) is not None else 0
    hi = math.floor(spec.max) if getattr(spec, "max", None) is not None else None
    return max(lo, 0), hi


def expected_rows(design: Design, entity: str) -> int | None:
    """Rows an entity is sure to have: its rows, or for children at least parents x min count."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = expected_rows(design, ent.parent.entity)
    if parent_rows is None:
        return None
    return parent_rows * count_range(ent.parent.count)[0]


def count_mean(spec) -> float:
    """The mean count of a count distribution, within its bounds."""
    kind = spec.kind
    lo, hi = count_range(spec)
    if kind == "const":
        return float(spec.value)
    if kind == "choice":
        weights = spec.weights or [1] * len(spec.values)
        return sum(v * w for v, w in zip(spec.values, weights)) / sum(weights)
    if kind == "uniform":
        return (lo + hi) / 2 if hi is not None else float(lo)
    if kind in ("poisson", "zipf"):  # summed over the support (a far tail stands in for no bound)
        import numpy as np

        if hi is None:
            hi = int(spec.mean + 50 * math.sqrt(spec.mean) + 50) if kind == "poisson" else 10**6
        ks = np.arange(lo, hi + 1, dtype=float)
        if kind == "poisson":
            log_pmf = ks * math.log(spec.mean or 1e-300) - spec.mean - np.array([math.lgamma(k + 1) for k in ks])
            weights = np.exp(log_pmf)
        else:
            weights = ks ** -float(spec.exponent)
        total = weights.sum()
        return float((ks * weights).sum() / total) if total else float(lo)
    return float(getattr(spec, "mean", lo) or lo)


def rows_estimate(design: Design, entity: str, at_most: bool = False) -> int | None:
    """Rows an entity will have: a root's rows; a child's parent rows times the mean count, or with
    `at_most` times the largest count where the count distribution bounds it."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = rows_estimate(design, ent.parent.entity, at_most)
    if parent_rows is None:
        return None
    hi = count_range(ent.parent.count)[1]
    per_parent = hi if at_most and hi is not None else count_mean(ent.parent.count)
    return math.ceil(parent_rows * per_parent)
