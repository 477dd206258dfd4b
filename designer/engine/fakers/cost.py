"""What a faker field costs a value, measured: its path and how often it calls Faker.

A field is per row when drawing it calls Faker for each value, whether the provider itself goes
per row or only a {{token}} its formats expand does (ja_JP's address: 7 Faker calls a value while
its formats are expanded a column at a time). Counting the calls `fallback.per_row` makes while a
block is drawn catches both, and drawers that decline at run time, with no list to keep in step.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from .fallback import faker_calls
from .registry import in_chunk, path_of

SAMPLE = 500  # values timed: enough for a steady µs figure, ~30 ms for a per-row field


@dataclass(frozen=True)
class Cost:
    path: str  # "vectorized": no Faker call per value; "per-row": at least one
    micros: float  # µs per value
    calls: float  # Faker calls per value


def cost_of(provider: str, args: dict | None, locale: str, n: int = SAMPLE) -> Cost:
    # keyed by the args' text: TOML args hold lists and tables (`ext_word_list`, `value_types`),
    # which no lru_cache key can hold
    key = (provider, json.dumps(args or {}, sort_keys=True, default=str), locale, n)
    if key not in _MEASURED:
        _MEASURED[key] = _cost(provider, args or {}, locale, n)
    return _MEASURED[key]


_MEASURED: dict[tuple, Cost] = {}


def _cost(provider: str, args: dict, locale: str, n: int) -> Cost:
    rng = np.random.default_rng(0)
    in_chunk(provider, args, locale, rng, 16)  # word lists, formats and Fakers read once, not timed
    before, start = faker_calls(), time.perf_counter()
    in_chunk(provider, args, locale, rng, n)
    micros, calls = (time.perf_counter() - start) * 1e6 / n, (faker_calls() - before) / n
    return Cost("per-row" if calls else "vectorized", micros, calls)


def field_path(provider: str, args: dict | None, locale: str) -> str:
    """The path a field really takes, tokens included (the provider picker's mark)."""
    if path_of(provider, args, locale) == "per-row":
        return "per-row"
    try:
        return cost_of(provider, args, locale, 64).path
    except Exception:  # Faker fails here (es_AR's name_male): per row, it says so when drawn
        return "per-row"
