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
