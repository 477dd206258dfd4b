"""Faker's pattern providers, vectorized: numerify, lexify, bothify and hexify fill a `text` such as
"PRD-#####" or "??-####" for a whole column in one byte matrix; random_int and pyint draw integers.

These are what hand-written custom providers mostly do (SKUs, order numbers, licence keys), so a
preset gets them at column speed instead of one Faker call per row. The placeholders and their
chances are Faker's own (`BaseProvider.numerify` and friends).
"""

from __future__ import annotations

import string

import numpy as np
import polars as pl

from .formats import FAKER_SYMBOLS, Symbols, fill
from .registry import provider

_NUMERIFY = tuple((char, choices) for char, choices in FAKER_SYMBOLS if char != "?")
_HEX = "0123456789abcdef"


def _one_byte(letters) -> bytes | None:
    """`letters` as one byte each, or None where a letter is not ASCII or is NUL, which the byte
    matrix reads as "nothing" (Faker then runs per row)."""
    ok = isinstance(letters, str) and letters and letters.isascii() and "\0" not in letters
    return letters.encode() if ok else None


def _filled(text: str, symbols: Symbols, rng: np.random.Generator, n: int) -> pl.Series:
    return fill((text,), np.zeros(n, dtype=np.intp), rng, symbols)


def _text_ok(args: dict) -> bool:
    text = args.get("text", "")
    return isinstance(text, str) and "\0" not in text  # a zero byte is "nothing" in the matrix


def _letters_ok(args: dict) -> bool:
    return _text_ok(args) and ("letters" not in args or _one_byte(args["letters"]) is not None)


def _range_ok(low: str, high: str):
    def accepts(args: dict) -> bool:
        values = [args.get(low, 0), args.get(high, 9999), args.get("step", 1)]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return False
        low_value, high_value, step = values  # what int64 holds; anything else is Faker's to handle or refuse
        return 0 < step < 2**63 and -(2**63) <= low_value <= high_value < 2**63 and high_value - low_value < 2**63

    return accepts


@provider("numerify", ("text",), accepts=_text_ok)
def numerify(locale, args, rng, n):
    return _filled(args.get("text", "###"), _NUMERIFY, rng, n)


@provider("lexify", ("text", "letters"), accepts=_letters_ok)
def lexify(locale, args, rng, n):
    letters = _one_byte(args.get("letters", string.ascii_letters))
    assert letters is not None, "ASCII: `_letters_ok` said so"
    return _filled(args.get("text", "????"), (("?", letters),), rng, n)


@provider("bothify", ("text", "letters"), accepts=_letters_ok)
def bothify(locale, args, rng, n):
    letters = _one_byte(args.get("letters", string.ascii_letters))
    assert letters is not None, "ASCII: `_letters_ok` said so"
    return _filled(args.get("text", "## ??"), (*_NUMERIFY, ("?", letters)), rng, n)


@provider("hexify", ("text", "upper"), accepts=_text_ok)
def hexify(locale, args, rng, n):
    digits = _HEX.upper() if args.get("upper", False) else _HEX
    return _filled(args.get("text", "^^^^"), (("^", digits.encode()),), rng, n)


def _integers(low: int, high: int, step: int, rng: np.random.Generator, n: int) -> pl.Series:
    """Faker's randrange(low, high + 1, step): every value of the range equally likely."""
    count = (high - low) // step + 1
    return pl.Series(low + step * rng.integers(0, count, n, dtype=np.int64), dtype=pl.Int64)


@provider("random_int", ("min", "max", "step"), accepts=_range_ok("min", "max"))
def random_int(locale, args, rng, n):
    return _integers(args.get("min", 0), args.get("max", 9999), args.get("step", 1), rng, n)


@provider("pyint", ("min_value", "max_value", "step"), accepts=_range_ok("min_value", "max_value"))
def pyint(locale, args, rng, n):
    return _integers(args.get("min_value", 0), args.get("max_value", 9999), args.get("step", 1), rng, n)
