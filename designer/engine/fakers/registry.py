"""The vectorized providers by name, the arguments each understands, and which path a call takes.

Category modules (person, address, ...) register into these tables when they are imported;
`providers` imports them all. Everything a drawer calls back into (a format's {{token}} drawn
by another provider) is looked up here, so no provider module imports the package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import polars as pl

from .faithful import faithful
from .fallback import per_row

Provider = Callable[[str, dict, np.random.Generator, int], "pl.Series | None"]
REGISTRY: dict[str, Provider] = {}
ARGS: dict[str, set[str]] = {}  # the arguments each vectorized provider understands
ACCEPTS: dict[str, Callable[[dict], bool]] = {}  # where only some values of them are: which


def provider(name: str, args: tuple[str, ...] = (), accepts: Callable[[dict], bool] | None = None):
    def register(fn: Provider) -> Provider:
        REGISTRY[name] = fn
        ARGS[name] = set(args) | {"_now"}
        if accepts is not None:
            ACCEPTS[name] = accepts
        return fn

    return register


def path_of(provider: str, args: dict | None = None, locale: str | None = None) -> Literal["vectorized", "per-row"]:
    if provider not in REGISTRY:
        return "per-row"
    if args and not set(args) <= ARGS[provider]:
        return "per-row"
    if provider in ACCEPTS and not ACCEPTS[provider](args or {}):
        return "per-row"
    if locale is not None and not faithful(provider, locale):
        return "per-row"
    return "vectorized"


def in_chunk(provider: str, args: dict, locale: str, rng: np.random.Generator, n: int) -> pl.Series:
    """n values for a part of a chunk already being drawn (a format's {{token}})."""
    values = REGISTRY[provider](locale, args, rng, n) if path_of(provider, args, locale) == "vectorized" else None
    return values if values is not None else per_row(provider, args, locale, rng, n)
