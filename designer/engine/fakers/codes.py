"""Identifiers with check digits, vectorized: IBAN (mod 97), card numbers (Luhn), EAN-13, ISBN-10/13."""

from __future__ import annotations

import string

import numpy as np
import polars as pl

from ..columns import ascii_strings
from .faithful import SOURCES, mirrors
from .formats import fill
from .ids import card_types
from .registry import provider
from .vocab import Vocab, data, owner

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


for _name in ("isbn10", "isbn13"):
    mirrors(_name, "faker.providers.isbn")


def _isbn_parts(locale: str, rng, n: int):
    """Faker's _body for n rows: an EAN prefix and a registration group (each uniform among the
    rules' keys), digits for registrant and publication, split where the first range rule that holds
    the digits but the last says (compared as text, as Faker does). (ean, group, digits, registrant
    length) per row, as columns."""
    rules = getattr(owner(locale, "isbn13"), "rules", None)
    if not rules:
        return None
    combos = [(ean, group) for ean in rules for group in rules[ean]]
    chances = np.array([1 / len(rules) / len(rules[ean]) for ean, _ in combos])
    which = Vocab(pl.Series([f"{e}-{g}" for e, g in combos], dtype=pl.String), chances).indexes(rng, n)
    ean, group = np.empty(n, dtype=object), np.empty(n, dtype=object)
    digits, split = np.empty(n, dtype=object), np.zeros(n, dtype=np.int64)
    for index in np.unique(which):
        rows = np.flatnonzero(which == index)
        e, g = combos[index]
        width = 13 - len(e) - len(g) - 1
        body = np.full(len(rows), "", dtype=object)
        length = np.full(len(rows), -1)
        while (todo := np.flatnonzero(length < 0)).size:  # a number no rule holds: Faker raises; drawn again
            drawn = (rng.integers(0, 10, (len(todo), width)) + ord("0")).astype(np.uint8)
            text = drawn.view(f"S{width}").ravel()
            head = drawn[:, :-1].copy().view(f"S{width - 1}").ravel()
            found = np.full(len(todo), -1)
            for low, high, reg_len in reversed(rules[e][g]):  # the first rule that holds wins
                found = np.where((head >= low.encode()) & (head <= high.encode()), reg_len, found)
            body[todo], length[todo] = text.astype(str), found
        ean[rows], group[rows], digits[rows], split[rows] = e, g, body, length
    return ean, group, digits, split


def _isbn(ten: bool):
    def draw(locale, args, rng, n):
        parts = _isbn_parts(locale, rng, n)
        if parts is None:
            return None
        ean, group, digits, split = parts
        whole = np.char.add(np.char.add(ean.astype(str), group.astype(str)), digits.astype(str))
        numbers = (np.frombuffer(whole.astype("S12").tobytes(), dtype=np.uint8).reshape(n, 12) - ord("0")).astype(np.int64)
        if ten:  # ISBN-10: the group onward, weights 1..9, remainder 10 written X
            check = (numbers[:, 3:] * np.arange(1, 10)).sum(axis=1) % 11
        else:
            check = ean_check(numbers)
        frame = pl.DataFrame(
            {
                "ean": ean.astype(str),
                "group": group.astype(str),
                "digits": digits.astype(str),
                "split": split,
                "check": np.where(check == 10, "X", check.astype(str)),
            }
        )
        registrant = pl.col("digits").str.slice(0, pl.col("split"))
        publication = pl.col("digits").str.slice(pl.col("split"))
        columns = ([] if ten else [pl.col("ean")]) + [pl.col("group"), registrant, publication, pl.col("check")]
        return frame.select(pl.concat_str(columns, separator=args.get("separator", "-"))).to_series()

    return draw


provider("isbn13", ("separator",))(_isbn(ten=False))
provider("isbn10", ("separator",))(_isbn(ten=True))


mirrors("credit_card_number", "faker.providers.credit_card")


def _card_patterns(locale: str) -> tuple[tuple[str, ...], np.ndarray] | None:
    """Every card type's prefixes as Faker's numerify patterns of the card's length less the check
    digit ("222%" + 11 "#"), each with its chance: a card type by its key ("visa" and "visa16" both
    count), then one of its prefixes."""
    cards = card_types(locale)
    if cards is None:
        return None
    patterns, chances = [], []
    for card in cards:
        for prefix in card.prefixes:
            patterns.append(prefix + "#" * (card.length - len(prefix) - 1))
            chances.append(1 / len(cards) / len(card.prefixes))
    return tuple(patterns), np.asarray(chances)


@provider("credit_card_number", ())
def credit_card_number(locale, args, rng, n):
    """Faker's: a card type, a prefix, digits to the card's length (12 to 19), a Luhn check digit."""
    found = _card_patterns(locale)
    if found is None:
        return None
    patterns, chances = found
    which = Vocab(pl.Series(patterns, dtype=pl.String), chances).indexes(rng, n)
    lengths = np.array([len(p) for p in patterns])[which]
    out = pl.Series([None] * n, dtype=pl.String)
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        body = fill(patterns, which[rows], rng).str.join("")  # all `length` ASCII digits
        digits = (np.frombuffer(body[0].encode(), dtype=np.uint8).reshape(len(rows), length) - ord("0")).astype(np.int64)
        out = out.scatter(rows, _as_text(np.concatenate([digits, luhn_check(digits)[:, None]], axis=1)))
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
    head = np.stack(
        [np.full(n, ord(country[0])), np.full(n, ord(country[1])), check // 10 + ord("0"), check % 10 + ord("0")], axis=1
    ).astype(np.uint8)
    return ascii_strings(np.concatenate([head, chars], axis=1))


# user_agent is Faker's per row: its browsers draw versions, tokens and dates in ways of their own,
# and a column of strings Faker never writes is worse than a slower true one.


__all__ = ["luhn_check", "ean_check", "data"]
