"""Every vectorized provider: each reads Faker's data for the locale and returns a whole column.

A drawer returns None when it cannot honour the arguments it was given; the caller then takes
the per-row path, so every call still works. Importing a category's module registers its
drawers in `registry`; the order does not matter (only lookups by name read the tables).
"""

from __future__ import annotations

from . import (  # noqa: F401  (registered on import)
    address,
    codes,
    company,
    dates,
    ids,
    internet,
    lists,
    lorem,
    misc,
    network,
    numeric,
    patterns,
    person,
)
from .registry import ACCEPTS, ARGS, REGISTRY, Provider, provider
from .vocab import Vocab

__all__ = ["ACCEPTS", "ARGS", "REGISTRY", "Provider", "Vocab", "provider"]
