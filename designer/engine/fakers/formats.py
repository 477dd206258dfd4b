"""Faker format strings expanded column-wise.

`"{{first_name}} {{last_name}}"` becomes a concatenation of token columns;
`"###-###-####"` a concatenation of digit columns (numerify: # 0-9, % 1-9, $ 2-9,
! 0-9 or nothing, @ 1-9 or nothing; lexify: ? a letter). Rows are grouped by
the format they drew, so each format is expanded once for all its rows.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

import numpy as np
import polars as pl

from ..columns import ascii_strings
from .vocab import Vocab

TOKEN = re.compile(r"\{\{\s*([a-z_0-9]+)\s*\}\}")
RANDOM_CHARS = set("#%$!@?")
_DIGITS = pl.Series(list("0123456789"))
_LETTERS = pl.Series(list(string.ascii_letters))
_LETTER_CODES = np.frombuffer(string.ascii_letters.encode(), dtype=np.uint8)
_FIXED_WIDTH = {"#": 0, "%": 1, "$": 2}  # placeholders that always give one digit: the lowest digit each allows

TokenColumn = Callable[[str, np.random.Generator, int], pl.Series]


def random_char_column(char: str, rng: np.random.Generator, n: int) -> pl.Series:
    if char == "#":
        return _DIGITS.gather(pl.Series(rng.integers(0, 10, n)))
    if char == "%":
        return _DIGITS.gather(pl.Series(rng.integers(1, 10, n)))
    if char == "$":
        return _DIGITS.gather(pl.Series(rng.integers(2, 10, n)))
    if char == "?":
        return _LETTERS.gather(pl.Series(rng.integers(0, 52, n)))
    low = 0 if char == "!" else 1  # "!" and "@": a digit, or nothing half of the time
    digits = _DIGITS.gather(pl.Series(rng.integers(low, 10, n)))
    return pl.select(pl.when(pl.lit(pl.Series(rng.random(n) < 0.5))).then(pl.lit(digits)).otherwise(pl.lit(""))).to_series()


def _literal_parts(text: str, rng: np.random.Generator, n: int, randomize: bool) -> list:
    if not randomize or not RANDOM_CHARS.intersection(text):
        return [pl.lit(text)] if text else []
    parts, plain = [], ""
    for char in text:
        if char in RANDOM_CHARS:
            if plain:
                parts.append(pl.lit(plain))
                plain = ""
            parts.append(pl.lit(random_char_column(char, rng, n)))
        else:
            plain += char
    if plain:
        parts.append(pl.lit(plain))
    return parts


def _fixed_width(pattern: str, rng: np.random.Generator, n: int) -> pl.Series:
    """A pattern of ASCII literals and one-character placeholders (`###-###-####`), filled in as one
    (n, width) byte matrix: a phone column costs a few numpy draws, not a polars column per digit."""
    codes = np.frombuffer(pattern.encode("ascii"), dtype=np.uint8)
    out = np.tile(codes, (n, 1))
    for char, low in _FIXED_WIDTH.items():
        where = np.flatnonzero(codes == ord(char))
        if len(where):
            out[:, where] = ord("0") + rng.integers(low, 10, (n, len(where)), dtype=np.uint8)
    letters = np.flatnonzero(codes == ord("?"))
    if len(letters):
        out[:, letters] = _LETTER_CODES[rng.integers(0, len(_LETTER_CODES), (n, len(letters)))]
    return ascii_strings(out)


def expand_one(pattern: str, rng: np.random.Generator, n: int, token: TokenColumn, randomize: bool) -> pl.Series:
    """n values of one pattern."""
    if randomize and pattern.isascii() and "!" not in pattern and "@" not in pattern and not TOKEN.search(pattern):
        return _fixed_width(pattern, rng, n)
    parts, position = [], 0
    for match in TOKEN.finditer(pattern):
        parts += _literal_parts(pattern[position:match.start()], rng, n, randomize)
        parts.append(pl.lit(token(match.group(1), rng, n).cast(pl.String)))
        position = match.end()
    parts += _literal_parts(pattern[position:], rng, n, randomize)
    if not parts:
        return pl.Series([""] * n, dtype=pl.String)
    if len(parts) == 1 and not isinstance(parts[0], pl.Expr):
        return parts[0]
    out = pl.select(pl.concat_str(parts).alias("v")).to_series()
    return out if len(out) == n else out.extend_constant(out[0], n - len(out))


def expand(formats: Vocab, rng: np.random.Generator, n: int, token: TokenColumn, randomize: bool = False) -> pl.Series:
    """n values, each from a format drawn by Faker's weights. `randomize` numerifies and lexifies literals."""
    choice = formats.indexes(rng, n)
    patterns = formats.values.to_list()
    used = np.unique(choice)
    if len(used) == 1:
        return expand_one(patterns[used[0]], rng, n, token, randomize)
    # Each format is expanded once for all its rows; one gather puts the rows back in their places.
    rows = [np.flatnonzero(choice == index) for index in used]
    parts = [expand_one(patterns[index], rng, len(r), token, randomize).cast(pl.String) for index, r in zip(used, rows)]
    where = np.empty(n, dtype=np.int64)
    where[np.concatenate(rows)] = np.arange(n)
    return pl.concat(parts).gather(pl.Series(where))
