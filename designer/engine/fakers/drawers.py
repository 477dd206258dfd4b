"""Drawers made from a locale's Faker data: one item of a list, or a format expanded a column at a time.

Each records in `faithful.SOURCES` what it reads, so the fidelity checks know which data to compare.
"""

from __future__ import annotations

from functools import cache

from .faithful import SOURCES
from .formats import expand
from .registry import Provider, in_chunk, path_of
from .vocab import Vocab, vocab


def token_column(locale: str, args: dict):
    """A format's {{token}} as a column; its "now" is the field's ({{year}} in ru_RU user names)."""
    given = {"_now": args["_now"]} if args.get("_now") else {}
    return lambda name, rng, n: in_chunk(name, given, locale, rng, n)


@cache
def token_words(locale: str):
    """A {{token}}'s word list in `locale` when the token is drawn from one (first_name, city_suffix),
    else None. One function per locale: formats cache their slots by it."""

    def words(name: str) -> Vocab | None:
        how, attrs = SOURCES.get(name, ("", ()))
        return vocab(locale, name, *attrs) if how == "elements" and path_of(name, {}, locale) == "vectorized" else None

    return words


def from_list(method: str, *attrs: str) -> Provider:
    """One item per row of the first of the lists `attrs` the locale has, by its weights where it has them."""
    SOURCES[method] = ("elements", attrs)

    def draw(locale, args, rng, n):
        v = vocab(locale, method, *attrs)
        return v.draw(rng, n) if v else None

    return draw


def from_formats(method: str, *attrs: str, randomize: bool = False) -> Provider:
    """One of the locale's formats `attrs` per row, its {{tokens}} and placeholders filled."""
    SOURCES[method] = ("formats", attrs)

    def draw(locale, args, rng, n):
        v = vocab(locale, method, *attrs)
        return None if v is None else expand(v, rng, n, token_column(locale, args), randomize, token_words(locale))

    return draw
