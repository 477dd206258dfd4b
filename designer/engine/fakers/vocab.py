"""Faker's own per-locale data as weighted vocabularies, drawn a column at a time.

A provider's data is read from the provider object Faker itself would call for
that method in that locale (`getattr(generator, method).__self__`), so locale
overrides and fallbacks are Faker's.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import polars as pl

from ...model.fakerdata import new_faker


@dataclass(frozen=True)
class Vocab:
    values: pl.Series
    probs: np.ndarray | None  # each value's chance; None: equal chances
    alias: tuple[np.ndarray, np.ndarray] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "alias", None if self.probs is None else _alias_table(self.probs))

    def draw(self, rng: np.random.Generator, n: int) -> pl.Series:
        return self.values.gather(pl.Series(self.indexes(rng, n)))

    def indexes(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.alias is None:  # no weights
            return rng.integers(0, len(self.values), n)
        # One uniform per row: its whole part picks a slot, its fraction the slot's value or alias
        # (a searchsorted over the cumulative weights cost 1 ms a block for first names).
        keep, alias = self.alias
        scaled = rng.random(n) * len(keep)
        slot = np.minimum(scaled.astype(np.intp), len(keep) - 1)
        return np.where(scaled - slot < keep[slot], slot, alias[slot])

    def __len__(self) -> int:
        return len(self.values)


def _alias_table(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table (Vose's construction): slot k keeps value k with chance keep[k], else
    gives alias[k]; with slots equally likely, each value comes out with exactly its weight."""
    m = len(probs)
    scaled = probs * m
    keep, alias = np.ones(m), np.arange(m)
    small = [k for k in range(m) if scaled[k] < 1.0]
    large = [k for k in range(m) if scaled[k] >= 1.0]
    while small and large:
        low, high = small.pop(), large.pop()
        keep[low], alias[low] = scaled[low], high
        scaled[high] -= 1.0 - scaled[low]
        (small if scaled[high] < 1.0 else large).append(high)
    return keep, alias  # slots left over hold 1 up to rounding: they keep their own value


def vocab_of(elements, transform=None) -> Vocab:
    """A Vocab from a Faker element collection: an OrderedDict of value -> weight, or a sequence."""
    if isinstance(elements, (dict, OrderedDict)):
        values = list(elements.keys())
        weights = np.asarray(list(elements.values()), dtype=float)
        probs = weights / weights.sum()
    else:
        values, probs = list(elements), None
    if transform is not None:
        values = [transform(v) for v in values]
    return Vocab(pl.Series(values, dtype=pl.String), probs)


@cache
def generator(locale: str):
    return new_faker(locale).factories[0]


@cache
def owner(locale: str, method: str):
    """The provider object that answers `method` in `locale`."""
    bound = getattr(generator(locale), method, None)
    return getattr(bound, "__self__", None)


def defined_in(locale: str, method: str) -> str | None:
    """The module of the Faker class that defines `locale`'s `method` ("faker.providers.ssn.en_US")."""
    obj = owner(locale, method)
    defining = next((cls for cls in type(obj).__mro__ if method in cls.__dict__), None) if obj is not None else None
    return None if defining is None else defining.__module__


def data(locale: str, method: str, *attrs: str):
    """The first of `attrs` that the provider of `method` has, else None. "last_name_pairs[2]" is
    item 2 of each of ja_JP's (kanji, kana, romaji) pairs, each with its pair's weight (summed
    where two pairs share it: 斎藤 and 斉藤 are both Saito)."""
    provider = owner(locale, method)
    for attr in attrs:
        name, _, item = attr.partition("[")
        value = getattr(provider, name, None)
        if value and item:
            value = _items(value, int(item.rstrip("]")))
        if value:
            return value
    return None


def _items(pairs, k: int):
    if not isinstance(pairs, dict):
        return tuple(pair[k] for pair in pairs)
    out: OrderedDict = OrderedDict()
    for pair, weight in pairs.items():
        out[pair[k]] = out.get(pair[k], 0) + weight
    return out


@cache
def vocab(locale: str, method: str, *attrs: str) -> Vocab | None:
    elements = data(locale, method, *attrs)
    return vocab_of(elements) if elements else None


def concat_vocabs(*vocabs: Vocab) -> Vocab:
    """Equal chance for each vocabulary, then its own weights inside it (Faker's male/female mixes)."""
    values = pl.concat([v.values for v in vocabs], rechunk=True)  # one chunk: gathers are fast
    probs = [(v.probs if v.probs is not None else np.full(len(v), 1.0 / len(v))) / len(vocabs) for v in vocabs]
    return Vocab(values, np.concatenate(probs))
