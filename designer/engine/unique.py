"""`unique = true` without retrying to death.

- finite domains (ints in a range, dates, decimals, choices) are permuted: row r
  of the entity takes the r-th value of a seeded bijection, so no value repeats;
- text computed from other fields (templates, expressions) is de-duplicated with
  a number, `ann.lee2@example.com`, deterministically in row order;
- Faker values are drawn again for duplicates; a provider that runs dry stops
  with an error naming the field and how far it got.

The seen-values state lives in the run and is carried through blocks in order.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from ..errors import GenerationError
from ..model.domains import domain_size
from ..model.timeexpr import parse_moment

REDRAW_ROUNDS = 30
_PERMUTED = {"uniform", "normal", "lognormal", "exponential", "poisson", "beta", "gamma", "zipf", "date"}
_NATURALLY_UNIQUE = {"sequence", "uuid", "choice", "const"}  # choice is permuted by the kind itself


class UniqueState:
    def __init__(self):
        self.counts: dict[tuple[str, str], dict] = {}  # values seen so far, per field

    @staticmethod
    def is_stateful(spec, design) -> bool:
        """Whether de-duplicating needs the values of earlier blocks (not a sequence or a permutation)."""
        if spec.kind in _NATURALLY_UNIQUE:
            return False
        return not (spec.kind in _PERMUTED and domain_size(spec, design) is not None)

    def make_unique(self, values: pl.Series, spec, ctx) -> pl.Series:
        if spec.kind in _NATURALLY_UNIQUE:
            return values
        if spec.kind in _PERMUTED and domain_size(spec, ctx.design) is not None:
            return _permuted(values, spec, ctx)
        seen = self.counts.setdefault((ctx.entity, ctx.field), {})
        if spec.kind in ("template", "expression") and values.dtype == pl.String:
            return _numbered(values, seen)
        return _redrawn(values, spec, ctx, seen)


def _bijection(ctx, size: int) -> np.ndarray:
    """Row r of the entity -> a distinct index in [0, size): an affine map with a seeded multiplier."""
    rows = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
    if size <= 1 << 22:  # small domain: a true random permutation, cached for the run
        cache = ctx.run.unique.counts.setdefault(("__perm__", ctx.entity + "." + ctx.field), {})
        if "perm" not in cache:
            cache["perm"] = ctx.entity_rng("permutation").permutation(size)
        return cache["perm"][rows]
    rng = ctx.entity_rng("permutation")
    multiplier = int(rng.integers(1, size))
    while math.gcd(multiplier, size) != 1:
        multiplier += 1
    shift = int(rng.integers(0, size))
    return (rows.astype(object) * multiplier + shift) % size


def _permuted(values: pl.Series, spec, ctx) -> pl.Series:
    size = domain_size(spec, ctx.design)
    if ctx.offset + ctx.n > size:
        raise GenerationError(
            f"unique asks {ctx.offset + ctx.n} values of a domain of {size}",
            path=f"entities.{ctx.entity}.fields.{ctx.field}",
        )
    index = np.asarray(_bijection(ctx, size), dtype=np.int64)
    if spec.kind == "date":
        start = parse_moment(spec.start, ctx.design.design.reference_time).date()
        first = (start - __import__("datetime").date(1970, 1, 1)).days
        return pl.Series(index + first, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    lo = getattr(spec, "min", None)
    lo = 1 if spec.kind == "zipf" else (0 if lo is None else lo)
    if values.dtype.is_integer():
        return pl.Series(int(math.ceil(lo)) + index, dtype=values.dtype)
    step = 10.0 ** -spec.decimals
    return pl.Series(np.round(lo + index * step, spec.decimals), dtype=pl.Float64)


def _numbered(values: pl.Series, seen: dict) -> pl.Series:
    """Repeats get a number: ann.lee@x.com, ann.lee2@x.com, ... in row order, across blocks.

    Set operations find the repeats at C speed; only repeated rows take the Python loop.
    The block's first occurrences count as seen before its repeats are numbered.
    """
    firsts = dict.fromkeys(values.drop_nulls().to_list(), 1)
    clash = seen.keys() & firsts.keys()
    repeats = ~values.is_first_distinct() & values.is_not_null()
    if clash:
        repeats = repeats | values.is_in(pl.Series(list(clash), dtype=values.dtype).implode())
    seen.update((k, 1) for k in firsts.keys() - clash)
    rows = repeats.arg_true().to_list()
    if not rows:
        return values
    texts = values.to_list()
    for i in rows:
        text = texts[i]
        count = seen.get(text, 0)
        if count == 0:  # a clash's first row in this block: its earlier twin was in an earlier block
            count = 1
        while True:  # the numbered form may itself exist already
            count += 1
            candidate = _with_number(text, count)
            if candidate not in seen:
                break
        seen[text] = count
        seen[candidate] = 1
        texts[i] = candidate
    return pl.Series(values.name, texts, dtype=pl.String)


def _with_number(text: str, number: int) -> str:
    local, at, domain = text.partition("@")
    return f"{local}{number}{at}{domain}" if at else f"{text}{number}"


def _redrawn(values: pl.Series, spec, ctx, seen: dict[int, int]) -> pl.Series:
    from .fields import draw_spec

    current = values
    for round_ in range(REDRAW_ROUNDS + 1):
        items = current.to_list()
        dup = np.zeros(len(items), dtype=bool)
        first_seen: dict = {}
        for i, item in enumerate(items):
            if item is None:
                continue
            if item in seen or item in first_seen:
                dup[i] = True
            else:
                first_seen[item] = i
        if not dup.any():
            seen.update((h, 1) for h in first_seen)
            return current
        if round_ == REDRAW_ROUNDS:
            distinct = len(seen) + len(first_seen)
            raise GenerationError(
                f"unique ran dry: {spec.kind} {getattr(spec, 'provider', '')} gave only {distinct} distinct values "
                f"for {ctx.offset + ctx.n} rows after {REDRAW_ROUNDS} redraws".replace("  ", " "),
                path=f"entities.{ctx.entity}.fields.{ctx.field}",
            )
        rows = np.flatnonzero(dup)
        retry = type(ctx)(ctx.run, ctx.block, ctx.entity, ctx.field, ctx.stream_prefix + f"retry{round_}/", {}, rows=len(rows))
        fresh = draw_spec(retry, spec.model_copy(update={"edge_rate": 0.0}))
        if fresh.dtype != current.dtype:
            fresh = fresh.cast(current.dtype)
        current = current.scatter(rows, fresh)
    return current
