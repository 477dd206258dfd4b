"""Faker's own per-locale data as weighted vocabularies, drawn a column at a time.

A provider's data is read from the provider object Faker itself would call for
that method in that locale (`getattr(generator, method).__self__`), so locale
overrides and fallbacks are Faker's.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl


@dataclass(frozen=True)
class Vocab:
    values: pl.Series
    cdf: np.ndarray | None  # None: equal weights

    def draw(self, rng: np.random.Generator, n: int) -> pl.Series:
        return self.values.gather(pl.Series(self.indexes(rng, n)))

    def indexes(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.cdf is None:
            return rng.integers(0, len(self.values), n)
        return np.minimum(np.searchsorted(self.cdf, rng.random(n), side="right"), len(self.values) - 1)

    def __len__(self) -> int:
        return len(self.values)


def vocab_of(elements, transform=None) -> Vocab:
    """A Vocab from a Faker element collection: an OrderedDict of value -> weight, or a sequence."""
    if isinstance(elements, (dict, OrderedDict)):
        values = list(elements.keys())
        weights = np.asarray(list(elements.values()), dtype=float)
        cdf = np.cumsum(weights) / weights.sum()
    else:
        values, cdf = list(elements), None
    if transform is not None:
        values = [transform(v) for v in values]
    return Vocab(pl.Series(values, dtype=pl.String), cdf)


@lru_cache(maxsize=None)
def generator(locale: str):
    from faker import Faker

    return Faker(locale).factories[0]


@lru_cache(maxsize=None)
def owner(locale: str, method: str):
    """The provider object that answers `method` in `locale`."""
    bound = getattr(generator(locale), method, None)
    return getattr(bound, "__self__", None)


def data(locale: str, method: str, *attrs: str):
    """The first of `attrs` that the provider of `method` has, else None."""
    provider = owner(locale, method)
    for attr in attrs:
        value = getattr(provider, attr, None)
        if value:
            return value
    return None


@lru_cache(maxsize=None)
def vocab(locale: str, method: str, *attrs: str) -> Vocab | None:
    elements = data(locale, method, *attrs)
    return vocab_of(elements) if elements else None


def concat_vocabs(*vocabs: Vocab) -> Vocab:
    """Equal chance for each vocabulary, then its own weights inside it (Faker's male/female mixes)."""
    values = pl.concat([v.values for v in vocabs])
    weights = []
    for v in vocabs:
        inner = np.diff(np.r_[0.0, v.cdf]) if v.cdf is not None else np.full(len(v), 1.0 / len(v))
        weights.append(inner / len(vocabs))
    cdf = np.cumsum(np.concatenate(weights))
    return Vocab(values, cdf / cdf[-1])
