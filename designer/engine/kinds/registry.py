"""Which function draws each kind: a drawer registers against its model class with `@draws`.

The model class, not the kind's name, is the key: a drawer for a model that is not in the field
union, or a model without a drawer, is caught by tests/model/test_kinds.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from ...model.base import FieldBase

Drawer = Callable[[Any, Any], pl.Series]
"""(spec, ctx) -> the kind's column for the block, before variants, edge cases, uniqueness and nulls."""

DRAWERS: dict[type[FieldBase], Drawer] = {}


def draws(model: type[FieldBase]) -> Callable[[Drawer], Drawer]:
    """Register the decorated function as the drawer of `model`."""

    def register(function: Drawer) -> Drawer:
        if model in DRAWERS:
            raise RuntimeError(f"{model.__name__} has two drawers: {DRAWERS[model].__name__} and {function.__name__}")
        DRAWERS[model] = function
        return function

    return register


def drawer(spec: FieldBase) -> Drawer:
    """The function that draws this spec's kind."""
    return DRAWERS[type(spec)]
