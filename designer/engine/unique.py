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

import numpy as np
import polars as pl

from ..errors import GenerationError
from .fields import draw_spec, follow
from .permute import bijection, domain_values
from .seen import SeenCounts, hashes

REDRAW_ROUNDS = 30


class UniqueState:
    def __init__(self):
        self.seen: dict[tuple[str, str], SeenCounts] = {}  # values produced so far, per field
        self.permutations: dict[tuple[str, str], np.ndarray] = {}  # small domains, drawn once per run

    @staticmethod
    def is_stateful(spec, design) -> bool:
        """Whether de-duplicating needs the values of earlier blocks (not a sequence or a permutation)."""
        if spec.deals_once:  # a sequence, or a choice and a reference the kind deals out once each
            return False
        return not (spec.permutable and spec.domain_size(design) is not None)

    def make_unique(self, values: pl.Series, spec, ctx) -> pl.Series:
        if spec.deals_once:
            return values
        if spec.permutable and spec.domain_size(ctx.design) is not None:
            return _permuted(values, spec, ctx)
        seen = self.seen.get((ctx.entity, ctx.field))
        if seen is None:
            seen = self.seen[(ctx.entity, ctx.field)] = SeenCounts(expected=ctx.run.total_rows(ctx.entity))
        if spec.numbered and values.dtype == pl.String:
            return _numbered(values, seen)
        return _redrawn(values, spec, ctx, seen)


def _permuted(values: pl.Series, spec, ctx) -> pl.Series:
    size = spec.domain_size(ctx.design)
    if ctx.offset + ctx.n > size:
        raise GenerationError(
            f"unique asks {ctx.offset + ctx.n} values of a domain of {size}",
            path=f"entities.{ctx.entity}.fields.{ctx.field}",
        )
    return domain_values(values, spec, ctx, np.asarray(bijection(ctx, size), dtype=np.int64))


def _numbered(values: pl.Series, seen: SeenCounts) -> pl.Series:
    """Repeats get a number: ann.lee@x.com, ann.lee2@x.com, ... in row order, across blocks.

    The k-th occurrence of a text in the entity becomes text+k, computed for the whole block at
    once from the counts of earlier blocks. Only a numbered form that already exists (a natural
    "ann.lee2@x.com", or another number's result) takes the slow path and the next free number.
    """
    present = values.is_not_null().to_numpy()
    texts = values.filter(pl.Series(present))
    seen.reserve(len(texts))  # before the lookups: the slots they find are the slots stored into
    keys = hashes(texts)
    distinct, slots, totals, occurrence = _occurrences(keys, seen)
    repeat = occurrence > 1
    if not repeat.any():
        seen.store(distinct, totals, slots)
        return values
    seen.store(distinct, totals, slots)
    bases = texts.filter(pl.Series(repeat))
    candidates = _with_numbers(bases, pl.Series(occurrence[repeat]))
    candidate_keys = hashes(candidates)
    # Looked up after this block's own texts are stored, so one lookup finds every clash with them
    # and with earlier blocks. A numbered form clashes only where some value has a digit where
    # numbers go ("cy2", or "a1" whose "a1"+"2" is "a"+"12"): rare, and then the slow path.
    candidate_slots, candidate_counts = seen.lookup(candidate_keys)
    taken = (candidate_counts > 0) | ~pl.Series(candidate_keys).is_first_distinct().to_numpy()
    if taken.any():
        candidates, candidate_keys = _next_free(bases, candidates, candidate_keys, occurrence[repeat], seen)
        candidate_slots = seen.lookup(candidate_keys)[0]
    seen.store(candidate_keys, np.ones(len(candidate_keys), dtype=np.int64), candidate_slots)
    out = texts.scatter(np.flatnonzero(repeat), candidates)
    # scatter writes in place: a copy, so the caller still sees what it passed (and recomputes dependents)
    return values.clone().scatter(np.flatnonzero(present), out) if not present.all() else out.alias(values.name)


def _occurrences(keys: np.ndarray, seen: SeenCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The block's distinct keys (sorted) with their slots in `seen` and their counts after this
    block, and each row's occurrence number in the entity (1 for a first). One stable sort groups
    equal keys in row order."""
    n = len(keys)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    group = np.cumsum(starts) - 1
    first_at = np.flatnonzero(starts)
    distinct = ordered[first_at]
    slots, prior = seen.lookup(distinct)
    occurrence = np.empty(n, dtype=np.int64)
    occurrence[order] = prior[group] + (np.arange(n) - first_at[group]) + 1
    return distinct, slots, prior + np.diff(np.append(first_at, n)), occurrence


def _with_numbers(texts: pl.Series, numbers: pl.Series) -> pl.Series:
    """text + number, with the number before the first @ of an email."""
    frame = pl.DataFrame({"t": texts, "n": numbers.cast(pl.String)})
    return frame.select(
        pl.when(pl.col("t").str.contains("@", literal=True))
        .then(pl.col("t").str.replace("@", pl.col("n") + "@", literal=True))
        .otherwise(pl.col("t") + pl.col("n"))
    ).to_series()


def _next_free(bases, candidates, candidate_keys, numbers, seen):
    """Some numbered forms clash: number every repeat of the block again, in row order, each
    taking the smallest free number from its occurrence on. Only bumped rows are hashed again.
    `seen` already holds this block's own texts; `used`, the numbered forms given so far."""
    in_seen = seen.counts(candidate_keys) > 0
    used: set[int] = set()
    texts, keys = candidates.to_list(), candidate_keys.copy()
    for i, (base, number) in enumerate(zip(bases.to_list(), numbers.tolist(), strict=True)):
        key = int(candidate_keys[i])
        clash = in_seen[i] or key in used
        while clash:
            number += 1
            local, at, domain = base.partition("@")
            texts[i] = f"{local}{number}{at}{domain}" if at else f"{base}{number}"
            key = int(hashes(pl.Series([texts[i]]))[0])
            clash = key in used or bool(seen.counts(np.array([key], dtype=np.uint64))[0])
        used.add(key)
        keys[i] = key
    return pl.Series(candidates.name, texts, dtype=pl.String), keys


def _redrawn(values: pl.Series, spec, ctx, seen: SeenCounts) -> pl.Series:
    current = values.clone()  # scattered into below; the caller's column must stay as it was
    for round_ in range(REDRAW_ROUNDS + 1):
        present = current.is_not_null().to_numpy()
        keys = hashes(current.filter(pl.Series(present)))
        dup_at = (seen.counts(keys) > 0) | ~pl.Series(keys).is_first_distinct().to_numpy()
        if not dup_at.any():
            seen.set(keys, np.ones(len(keys), dtype=np.int64))
            return current
        if round_ == REDRAW_ROUNDS:
            distinct = len(seen) + int((~dup_at).sum())
            raise GenerationError(
                f"unique ran dry: {spec.kind} {getattr(spec, 'provider', '')} gave only {distinct} distinct values "
                f"for {ctx.offset + ctx.n} rows after {REDRAW_ROUNDS} redraws".replace("  ", " "),
                path=f"entities.{ctx.entity}.fields.{ctx.field}",
            )
        rows = np.flatnonzero(present)[dup_at]
        retry = type(ctx)(ctx.run, ctx.block, ctx.entity, ctx.field, ctx.stream_prefix + f"retry{round_}/", {}, rows=len(rows))
        fresh = draw_spec(retry, spec.model_copy(update={"edge_rate": 0.0}))
        follow(ctx.extras, retry.extras, rows, ctx.n)
        if fresh.dtype != current.dtype:
            fresh = fresh.cast(current.dtype)
        current = current.scatter(rows, fresh)
    return current
