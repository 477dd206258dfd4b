"""Faker format strings expanded column-wise.

`"{{first_name}} {{last_name}}"` becomes a concatenation of token columns;
`"###-###-####"` a byte matrix with its placeholders filled in (numerify: # 0-9,
% 1-9, $ 2-9, ! 0-9 or nothing, @ 1-9 or nothing; lexify: ? a letter). Every
format without tokens is filled in one matrix for all its rows, each format
with tokens once for all its rows.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable
from functools import cache

import numpy as np
import polars as pl

from ..columns import padded_strings, squeezed_strings
from . import slots
from .vocab import Vocab

TOKEN = re.compile(r"\{\{\s*([a-z_0-9]+)\s*\}\}")
Symbols = tuple[tuple[str, bytes], ...]
"""Placeholders and what each gives, all equally likely, in the order they are filled. A zero
byte is "nothing"; every symbol is one byte (ASCII), so a filled row keeps its byte positions.
No symbols: the patterns are copied as they are."""
# Faker's numerify and lexify: "!" is empty half of the time and otherwise any digit, as Faker's
# random_digit_or_empty; "@" likewise with 1-9.
FAKER_SYMBOLS: Symbols = (
    ("#", b"0123456789"),
    ("%", b"123456789"),
    ("$", b"23456789"),
    ("!", b"0123456789" + b"\0" * 10),
    ("@", b"123456789" + b"\0" * 9),
    ("?", string.ascii_letters.encode()),
)
RANDOM_CHARS = {char for char, _ in FAKER_SYMBOLS}

TokenColumn = Callable[[str, np.random.Generator, int], pl.Series]


@cache
def _symbol_runs(symbols: bytes) -> np.ndarray:
    """Every run of g symbols of a placeholder, g (4, 2 or 1) as many as fit in one 16-bit draw.
    One draw then fills g placeholders: a phone number's digits cost a few draws, not one each."""
    group = next((g for g in (4, 2) if len(symbols) ** g <= 1 << 16), 1)
    runs = b"".join(bytes(run) for run in itertools.product(symbols, repeat=group))
    return np.frombuffer(runs, dtype=f"u{group}")


def random_symbols(symbols: bytes, rng: np.random.Generator, k: int) -> np.ndarray:
    """k independent uniform draws of a placeholder's symbols, as bytes."""
    runs = _symbol_runs(symbols)
    group = runs.dtype.itemsize
    return runs[rng.integers(0, len(runs), -(-k // group), dtype=np.uint32)].view(np.uint8)[:k]


@cache
def _templates(patterns: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Token-free patterns as rows of one zero-padded UTF-8 byte matrix, and their lengths. Rows
    are a whole number of 8-byte words: a row is then taken as a few uint64s, not byte by byte."""
    encoded = [p.encode() for p in patterns]
    width = max([16, *map(len, encoded)])
    codes = np.zeros((len(encoded), -(-width // 8) * 8), dtype=np.uint8)
    for row, text in enumerate(encoded):
        codes[row, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    return codes, np.array([len(text) for text in encoded], dtype=np.int64)


def fill(patterns: tuple[str, ...], which: np.ndarray, rng: np.random.Generator, symbols: Symbols = FAKER_SYMBOLS) -> pl.Series:
    """Row i is `patterns[which[i]]` with its placeholders filled: one (rows, width) byte matrix
    for all the patterns at once, whatever their widths (25 phone formats, one pass)."""
    codes, lengths = _templates(patterns)
    chars = np.take(codes.view(np.uint64), which, axis=0).view(np.uint8)
    lengths = lengths[which]
    holes = False
    # each placeholder's cells are found before any is filled: a symbol is never filled again
    cells_of = [(np.flatnonzero(chars == ord(char)), choices) for char, choices in symbols if any(char in p for p in patterns)]
    for cells, choices in cells_of:
        if len(cells):
            drawn = random_symbols(choices, rng, len(cells))
            chars.ravel()[cells] = drawn
            if 0 in choices:  # an empty one shortens its row
                lengths = lengths - np.bincount(cells[drawn == 0] // chars.shape[1], minlength=len(chars))
                holes = True
    return squeezed_strings(chars, lengths) if holes else padded_strings(chars, lengths)


def _split(pattern: str) -> slots.Split:
    """A pattern's literal texts and, between them, its tokens' names (one more text than names)."""
    texts, names, position = [], [], 0
    for match in TOKEN.finditer(pattern):
        texts.append(pattern[position : match.start()])
        names.append(match.group(1))
        position = match.end()
    return (*texts, pattern[position:]), tuple(names)


def _literal(text: str, rng: np.random.Generator, n: int, randomize: bool) -> pl.Expr | None:
    if not text:
        return None
    if not randomize or not RANDOM_CHARS.intersection(text):
        return pl.lit(text)
    return pl.lit(fill((text,), np.zeros(n, dtype=np.intp), rng))


def expand_one(pattern: str, rng: np.random.Generator, n: int, token: TokenColumn, randomize: bool) -> pl.Series:
    """n values of one pattern with tokens."""
    texts, names = _split(pattern)
    parts = [_literal(texts[0], rng, n, randomize)]
    for name, text in zip(names, texts[1:], strict=False):
        parts.append(pl.lit(token(name, rng, n).cast(pl.String)))
        parts.append(_literal(text, rng, n, randomize))
    out = pl.select(pl.concat_str([p for p in parts if p is not None]).alias("v")).to_series()
    return out if len(out) == n else out.extend_constant(out[0], n - len(out))


@cache
def _ways(patterns: tuple[str, ...], randomize: bool, words: slots.WordList | None):
    """Which patterns have no tokens (filled in one matrix), and the slots of those whose tokens
    are all word lists and whose literals are copied as they are (joined in one concat)."""
    splits = [_split(p) for p in patterns]
    token_free = np.array([not names for _, names in splits])
    joinable = tuple(
        split if split[1] and not (randomize and RANDOM_CHARS.intersection("".join(split[0]))) else None for split in splits
    )
    layout = slots.layout(joinable, words) if words is not None else None
    joined = np.isin(np.arange(len(patterns)), list(layout.pieces) if layout else [])
    return token_free, layout, joined


def expand(
    formats: Vocab,
    rng: np.random.Generator,
    n: int,
    token: TokenColumn,
    randomize: bool = False,
    words: slots.WordList | None = None,
) -> pl.Series:
    """n values, each from a format drawn by Faker's weights. `randomize` numerifies and lexifies
    literals; `words` gives a token's word list, if it is one (see `slots`)."""
    choice = formats.indexes(rng, n)
    patterns = tuple(formats.values.to_list())
    token_free, layout, joined = _ways(patterns, randomize, words)
    symbols = FAKER_SYMBOLS if randomize else ()
    if token_free.all():  # phone numbers, postcodes: no grouping, no gather
        return fill(patterns, choice, rng, symbols)
    if joined.all():  # cities, names
        return slots.draw(layout, choice, rng)
    # Rows of token-free formats in one part, of joinable ones in one, of each other format in one;
    # a gather puts the rows back in their places.
    groups, parts = [], []
    for rows, draw in (
        (np.flatnonzero(token_free[choice]), lambda which: fill(patterns, which, rng, symbols)),
        (np.flatnonzero(joined[choice]), lambda which: slots.draw(layout, which, rng)),
    ):
        if len(rows):
            groups.append(rows)
            parts.append(draw(choice[rows]))
    for index in np.flatnonzero((np.bincount(choice, minlength=len(patterns)) > 0) & ~token_free & ~joined):
        groups.append(np.flatnonzero(choice == index))
        parts.append(expand_one(patterns[index], rng, len(groups[-1]), token, randomize))
    if len(parts) <= 1:
        return parts[0] if parts else pl.Series([], dtype=pl.String)
    where = np.empty(n, dtype=np.int64)
    where[np.concatenate(groups)] = np.arange(n)
    return pl.concat(parts).gather(pl.Series(where))
