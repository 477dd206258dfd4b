"""How many distinct values a field can take, and how many rows an entity will have.

Used before generation, to refuse a `unique` field whose domain is too small
instead of retrying forever.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .timeexpr import parse_moment

if TYPE_CHECKING:  # design.py imports limits.py, which reads the counts here
    from .design import Design


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
        now = design.info.reference_time
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


def expected_per_parent(count) -> float:
    """About how many child rows a parent row has: the count distribution's mean, kept within
    its bounds (an estimate for zipf and truncated draws; it only has to catch the absurd)."""
    kind = count.kind
    if kind == "const":
        return float(count.value)
    if kind == "choice":
        weights = count.weights or [1] * len(count.values)
        return sum(v * w for v, w in zip(count.values, weights, strict=True)) / sum(weights)
    if kind == "zipf":
        return _zipf_mean(float(count.exponent), count.max)
    lo, hi = count.reach()
    mean = (lo + hi) / 2 if kind == "uniform" else float(count.mean)
    return min(max(mean, lo, 0.0), hi)


def _zipf_mean(s: float, n: int) -> float:
    # sum k^(1-s) / sum k^-s over 1..n, each sum as 1 + its integral from 1 to n
    def power_sum(p: float) -> float:
        return 1 + (math.log(n) if abs(p + 1) < 1e-12 else (n ** (p + 1) - 1) / (p + 1))

    return min(float(n), power_sum(1 - s) / power_sum(-s))


def most_per_parent(count) -> float:
    """The largest count a parent row can draw: its bound, else where its draws reach (zipf has no
    `reach`: its `max` bounds it)."""
    hi = count_range(count)[1]
    return float(hi) if hi is not None else count.reach()[1]


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
    per_parent = hi if at_most and hi is not None else expected_per_parent(ent.parent.count)
    return math.ceil(parent_rows * per_parent)
