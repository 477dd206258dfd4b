"""Identifiers with check digits, vectorized: IBAN (mod 97), card numbers (Luhn), EAN-13, ISBN-13;
and browser user agents."""

from __future__ import annotations

import string

import numpy as np
import polars as pl

from ..columns import ascii_strings
from .faithful import SOURCES
from .providers import provider
from .vocab import data, owner, vocab_of

_ALNUM = np.frombuffer(string.ascii_uppercase.encode(), dtype=np.uint8)


def _digit_rows(rng, n: int, width: int) -> np.ndarray:
    return rng.integers(0, 10, (n, width)).astype(np.int64)


def _as_text(digits: np.ndarray) -> pl.Series:
    return ascii_strings((digits + ord("0")).astype(np.uint8))


def luhn_check(body: np.ndarray) -> np.ndarray:
    """The Luhn check digit for rows of digits (the check digit goes last)."""
    doubled = body[:, ::-1].copy()
    doubled[:, ::2] *= 2
    doubled[doubled > 9] -= 9
    return (10 - doubled.sum(axis=1) % 10) % 10


def ean_check(body: np.ndarray) -> np.ndarray:
    weights = np.tile([1, 3], body.shape[1] // 2 + 1)[: body.shape[1]]
    return (10 - (body * weights).sum(axis=1) % 10) % 10


SOURCES["ean13"] = ("pattern", (r"[0-9]{13}",))  # locales change the prefixes, not the shape


@provider("ean13")
def ean13(locale, args, rng, n):
    body = _digit_rows(rng, n, 12)
    return _as_text(np.concatenate([body, ean_check(body)[:, None]], axis=1))


@provider("isbn13", ("separator",))
def isbn13(locale, args, rng, n):
    """978 or 979, a group, a registrant, a publication and the check digit: 978-0-415-86834-1."""
    sep = args.get("separator", "-")
    prefix = np.where(rng.random(n) < 0.9, 978, 979)
    body = np.concatenate([np.stack([prefix // 100, prefix // 10 % 10, prefix % 10], axis=1), _digit_rows(rng, n, 9)], axis=1)
    full = np.concatenate([body, ean_check(body)[:, None]], axis=1)
    chars = (full + ord("0")).astype(np.uint8)
    cuts = [3, 4, 7, 12]  # 978-0-415-86834-1
    out = np.full((n, 13 + len(cuts) * len(sep)), ord(sep or "-"), dtype=np.uint8)
    src, dst = 0, 0
    for cut in cuts + [13]:
        width = cut - src
        out[:, dst:dst + width] = chars[:, src:src + width]
        dst += width + len(sep)
        src = cut
    return ascii_strings(out if sep else chars)


_CARDS = [("4", 16), ("51", 16), ("52", 16), ("53", 16), ("54", 16), ("55", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16)]


@provider("credit_card_number", ())
def credit_card_number(locale, args, rng, n):
    """Visa, Mastercard, Amex and Discover numbers with a valid Luhn digit, grouped by card type."""
    which = rng.integers(0, len(_CARDS), n)
    out = pl.Series([None] * n, dtype=pl.String)
    for index in np.unique(which):
        rows = np.flatnonzero(which == index)
        prefix, length = _CARDS[index]
        head = np.tile(np.array([int(c) for c in prefix]), (len(rows), 1))
        body = np.concatenate([head, _digit_rows(rng, len(rows), length - len(prefix) - 1)], axis=1)
        out = out.scatter(rows, _as_text(np.concatenate([body, luhn_check(body)[:, None]], axis=1)))
    return out


@provider("iban")
def iban(locale, args, rng, n):
    """The locale's BBAN format, its country code and valid ISO 7064 mod-97 check digits."""
    bank = owner(locale, "iban")
    fmt, country = getattr(bank, "bban_format", None), getattr(bank, "country_code", None)
    if not fmt or not isinstance(country, str):
        return None
    chars = np.empty((n, len(fmt)), dtype=np.uint8)
    for i, c in enumerate(fmt):
        if c == "#":
            chars[:, i] = rng.integers(0, 10, n) + ord("0")
        elif c == "?":
            chars[:, i] = _ALNUM[rng.integers(0, 26, n)]
        else:
            chars[:, i] = ord(c)
    tail = np.concatenate([chars, np.tile(np.frombuffer((country + "00").encode(), dtype=np.uint8), (n, 1))], axis=1)
    remainder = np.zeros(n, dtype=np.int64)
    for column in tail.T:  # mod 97 digit by digit; a letter counts as two digits (A=10 .. Z=35)
        is_letter = column >= ord("A")
        value = np.where(is_letter, column - ord("A") + 10, column - ord("0")).astype(np.int64)
        remainder = np.where(is_letter, (remainder * 100 + value) % 97, (remainder * 10 + value) % 97)
    check = 98 - remainder
    head = np.stack([np.full(n, ord(country[0])), np.full(n, ord(country[1])),
                     check // 10 + ord("0"), check % 10 + ord("0")], axis=1).astype(np.uint8)
    return ascii_strings(np.concatenate([head, chars], axis=1))


@provider("user_agent")
def user_agent(locale, args, rng, n):
    """Chrome, Firefox, Safari and Edge strings on Windows, macOS, Linux, Android and iOS."""
    systems = vocab_of(["Windows NT 10.0; Win64; x64", "Windows NT 6.1; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7",
                        "X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "Linux; Android 13; Pixel 7",
                        "Linux; Android 12; SM-G991B", "iPhone; CPU iPhone OS 16_5 like Mac OS X"]).draw(rng, n)
    major = pl.Series(rng.integers(90, 131, n)).cast(pl.String)
    build = pl.Series(rng.integers(3000, 6500, n)).cast(pl.String)
    patch = pl.Series(rng.integers(0, 200, n)).cast(pl.String)
    kind = rng.choice(4, n, p=[0.62, 0.18, 0.12, 0.08])
    chrome = "Mozilla/5.0 (" + systems + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + major + ".0." + build + "." + patch + " Safari/537.36"
    firefox = "Mozilla/5.0 (" + systems + "; rv:" + major + ".0) Gecko/20100101 Firefox/" + major + ".0"
    safari = "Mozilla/5.0 (" + systems + ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16." + (pl.Series(rng.integers(0, 7, n)).cast(pl.String)) + " Safari/605.1.15"
    edge = chrome + " Edg/" + major + ".0." + build + "." + patch
    frame = pl.DataFrame({"k": kind, "c": chrome, "f": firefox, "s": safari, "e": edge})
    return frame.select(pl.when(pl.col("k") == 0).then("c").when(pl.col("k") == 1).then("f")
                        .when(pl.col("k") == 2).then("s").otherwise("e")).to_series()


__all__ = ["luhn_check", "ean_check", "data"]
