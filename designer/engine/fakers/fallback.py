"""Any provider, one Faker call per row: seeded from the block's generator, so still reproducible."""

from __future__ import annotations

import datetime as dt
import decimal
import threading

import numpy as np
import polars as pl

from ...model.catalog import TEXT_VALUES
from ...model.design import DEFAULT_REFERENCE_TIME
from ...model.fakerclock import stopped_at, with_reference_day
from ...model.fakerdata import new_faker
from ...model.jsontext import CONTAINERS, json_text
from ...model.providers import guarded
from .vocab import generator

_MINE = threading.local()  # each thread its own Fakers: seeding one is not seen by another thread


def _faker(locale: str):
    """A guarded Faker for `locale`, made once per thread (4 ms each: a format's per-row token is
    drawn once per chunk, so a fresh one per call was most of its cost)."""
    fakes = _MINE.__dict__.setdefault("fakes", {})
    if locale not in fakes:
        fakes[locale] = guarded(new_faker(locale))  # {{tokens}} and type names reach only the catalog's providers
    return fakes[locale]


def faker_calls() -> int:
    """Values this thread has asked Faker for, one call each: `cost` counts a field's."""
    return _MINE.__dict__.get("calls", 0)


def per_row(provider: str, args: dict, locale: str, rng: np.random.Generator, n: int) -> pl.Series:
    _MINE.calls = faker_calls() + n
    fake = _faker(locale)
    fake.seed_instance(int(rng.integers(2**63)))
    return calls(fake, provider, args, n)


def calls(fake, provider: str, args: dict, n: int) -> pl.Series:
    """n calls of a seeded, guarded Faker's `provider`, its clock stopped at the field's "now"."""
    method = getattr(fake, provider)
    now = args.get("_now") or DEFAULT_REFERENCE_TIME  # not the day's date: the same rows tomorrow
    clean = with_reference_day(method, {k: v for k, v in args.items() if not k.startswith("_")}, now)
    with stopped_at(now):
        return as_series([method(**clean) for _ in range(n)], text=provider in TEXT_VALUES)


def as_series(values: list, text: bool = False) -> pl.Series:
    """A typed column from Python values; lists, dicts, sets and generators become JSON text, other
    objects, and values of mixed types (`text`, or a 3 beside a ""), their text."""
    families = {_family(v) for v in values if v is not None}
    if families == {"int", "float"}:  # a whole number among floats
        families = {"float"}
    sample = next((v for v in values if v is not None and _family(v) in families), None)
    if text or len(families) > 1 or isinstance(sample, CONTAINERS):
        return pl.Series(
            [None if v is None else json_text(v) if isinstance(v, CONTAINERS) else str(v) for v in values], dtype=pl.String
        )
    if isinstance(sample, bool):
        return pl.Series(values, dtype=pl.Boolean)
    if isinstance(sample, int):
        return pl.Series(values, dtype=pl.Int64)
    if isinstance(sample, (float, decimal.Decimal)):
        return pl.Series([None if v is None else float(v) for v in values], dtype=pl.Float64)
    if isinstance(sample, dt.datetime):
        return pl.Series([None if v is None else v.replace(tzinfo=None) for v in values], dtype=pl.Datetime("us"))
    if isinstance(sample, dt.date):
        return pl.Series(values, dtype=pl.Date)
    if isinstance(sample, bytes):
        return pl.Series([None if v is None else v.hex() for v in values], dtype=pl.String)
    return pl.Series([None if v is None else str(v) for v in values], dtype=pl.String)


def _family(value) -> str:
    """The column type a value asks for (Faker's dates are subclasses of the stdlib's: one family)."""
    for family, types in (
        ("bool", bool),
        ("int", int),
        ("float", (float, decimal.Decimal)),
        ("datetime", dt.datetime),
        ("date", dt.date),
        ("bytes", bytes),
        ("json", CONTAINERS),
    ):
        if isinstance(value, types):
            return family
    return "text"


__all__ = ["per_row", "calls", "faker_calls", "as_series", "generator"]
