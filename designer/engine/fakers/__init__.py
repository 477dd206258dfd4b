"""Faker at column speed.

`generate(provider, args, locales, rng, n)` returns n values as a polars Series:
vectorized (Faker's own per-locale data and weights, formats expanded
column-wise) for the common providers, one Faker call per row for the rest.
`path_of` says which path a provider takes.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from ...model.providers import provider_names
from ..seeding import BLOCK_ROWS, child
from . import categories  # noqa: F401  (registers every vectorized provider)
from .fallback import per_row
from .registry import REGISTRY, in_chunk, path_of
from .vocab import generator

CHUNK_ROWS = BLOCK_ROWS  # the unit a vectorized provider draws in


def one_locale(provider: str, args: dict, locale: str, rng: np.random.Generator, n: int) -> pl.Series:
    """n values in one locale; the first rows are the same whatever n is (see `_in_chunks`)."""
    values = _in_chunks(provider, args, locale, rng, n) if path_of(provider, args, locale) == "vectorized" else None
    # per row: one Faker call after another, already a prefix of a longer draw
    return values if values is not None else per_row(provider, args, locale, rng, n)


def _in_chunks(provider: str, args: dict, locale: str, rng: np.random.Generator, n: int) -> pl.Series | None:
    """Whole chunks of CHUNK_ROWS values, each from a generator of its own, cut to n.

    A vectorized provider draws several things one after another (which format each row takes,
    then each format's words), so n rows are not the first n of n + 1. Drawing whole chunks makes
    every value depend only on its chunk and its place in it: `--rows 2000` starts with the rows
    of `--rows 1000`. A full block costs nothing extra; only short blocks draw more than they keep.
    """
    parts = []
    for chunk in range(max(1, -(-n // CHUNK_ROWS))):
        values = REGISTRY[provider](locale, args, child(rng, "chunk", chunk), CHUNK_ROWS)
        if values is None:
            return None
        parts.append(values)
    return (parts[0] if len(parts) == 1 else pl.concat(parts)).head(n)


def generate(
    provider: str,
    args: dict,
    locales: list[tuple[str, float]],
    rng: np.random.Generator,
    n: int,
    locale_draws: np.ndarray | None = None,
) -> pl.Series:
    """n values of a Faker provider, each row's locale drawn by weight.

    `locale_draws` (n uniforms in [0, 1)) picks the rows' locales; fields that share them
    give each row one locale, so a row's first and last name come from the same country.
    """
    if len(locales) == 1:
        return one_locale(provider, args, locales[0][0], rng, n)
    weights = np.asarray([w for _, w in locales], dtype=float)
    draws = rng.random(n) if locale_draws is None else locale_draws
    which = np.searchsorted(np.cumsum(weights / weights.sum()), draws, side="right").clip(0, len(locales) - 1)
    parts: dict[int, pl.Series] = {}
    for index in np.unique(which):
        locale = locales[index][0]  # each locale its own stream: its rows do not shift another's
        parts[index] = one_locale(provider, args, locale, child(rng, "locale", locale), int((which == index).sum()))
    dtype = next(iter(parts.values())).dtype
    out = pl.Series([None] * n, dtype=dtype)
    for index, values in parts.items():
        out = out.scatter(np.flatnonzero(which == index), values.cast(dtype, strict=False))
    return out


@cache
def provider_doc(provider: str, locale: str = "en_US") -> str:
    method = getattr(generator(locale), provider, None)
    doc = (getattr(method, "__doc__", None) or "").strip()
    lines = [line.strip() for line in doc.splitlines() if line.strip() and not line.strip().startswith((":", ">>>"))]
    return lines[0] if lines else ""


def is_known_provider(provider: str, locale: str = "en_US") -> bool:
    return provider in provider_names(locale)


__all__ = ["REGISTRY", "generate", "in_chunk", "is_known_provider", "one_locale", "path_of", "provider_doc", "provider_names"]
