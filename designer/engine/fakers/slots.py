"""Formats whose tokens are all word lists (`{{city_prefix}} {{first_name}}{{city_suffix}}`),
drawn as indexes and joined once.

Each such format is cut into pieces, one per token, with the literal text around it glued on:
`{{city_prefix}} ` is one piece, the prefixes each followed by a space. Piece k of every format
goes in slot k; a slot's strings are all the pieces any format can put there, then "" for rows
whose format has fewer pieces. One index per row and slot picks its string, so a column is one
concat of a few gathers instead of a polars round trip per format and token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from .vocab import Vocab

WordList = Callable[[str], "Vocab | None"]  # a token's word list in a locale, None if it is not one


@dataclass(frozen=True)
class Layout:
    slots: list[pl.Series]  # slot k: every piece any format puts there, then ""
    pieces: dict[int, list[tuple[Vocab, int]]]  # format -> per piece, its word list and where it starts in its slot


Split = tuple[tuple[str, ...], tuple[str, ...]]  # a format's literal texts and, between them, its tokens


def _pieces(texts: tuple[str, ...], names: tuple[str, ...], words: WordList) -> list[tuple[Vocab, pl.Series]] | None:
    """The tokens' word lists, literal text glued on (the text before the first token goes with it,
    the text after each token with that token); None unless every token is a word list."""
    lists = [v for v in (words(name) for name in names) if v is not None]
    if len(lists) < len(names):
        return None
    return [(v, (texts[0] if i == 0 else "") + v.values + texts[i + 1]) for i, v in enumerate(lists)]


@cache
def layout(formats: tuple[Split | None, ...], words: WordList) -> Layout | None:
    """The slots of the formats that can be drawn this way (None: not one): cached, as `words`
    is one function per locale."""
    pieces_of = {i: p for i, split in enumerate(formats) if split and (p := _pieces(*split, words))}
    if not pieces_of:
        return None
    width = max(map(len, pieces_of.values()))
    slots: list[list[pl.Series]] = [[] for _ in range(width)]
    starts = [0] * width
    pieces: dict[int, list[tuple[Vocab, int]]] = {}
    for index, parts in pieces_of.items():
        pieces[index] = []
        for k, (vocab, strings) in enumerate(parts):
            pieces[index].append((vocab, starts[k]))
            slots[k].append(strings)
            starts[k] += len(strings)
    empty = pl.Series([""], dtype=pl.String)
    return Layout([pl.concat([*strings, empty], rechunk=True) for strings in slots], pieces)  # one chunk: gathers are fast


def draw(layout: Layout, choice: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """A row for each entry of `choice`, the index of a format `layout` holds."""
    n = len(choice)
    index = [np.full(n, len(slot) - 1) for slot in layout.slots]  # "" unless a piece goes there
    for fmt, pieces in layout.pieces.items():  # formats, then pieces, in order: the same draws in any process
        rows = np.flatnonzero(choice == fmt)
        if len(rows):
            for k, (vocab, start) in enumerate(pieces):
                index[k][rows] = start + vocab.indexes(rng, len(rows))
    columns = [pl.lit(slot).gather(pl.lit(pl.Series(i))) for slot, i in zip(layout.slots, index, strict=True)]
    return pl.select(pl.concat_str(columns).alias("v")).to_series()
