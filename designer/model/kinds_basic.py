"""Kinds that need no other field: constants, keys, Faker providers, choices."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import FieldBase, Int, Number, Scalar
from .catalog import MAX_POOL


class Const(FieldBase):
    """The same value in every row."""

    kind: Literal["const"]
    value: Scalar
    """The value."""


class Sequence(FieldBase):
    """start, start+step, ... across the whole entity: a natural key."""

    kind: Literal["sequence"]
    start: Number = 1
    """First value."""
    step: Number = 1
    """Difference between consecutive rows."""

    @model_validator(mode="after")
    def _step_not_zero(self):
        if self.step == 0:
            raise ValueError("step must not be 0")
        return self


class Uuid(FieldBase):
    """Random UUID v4 strings, drawn from the seed."""

    kind: Literal["uuid"]


class Faker(FieldBase):
    """Any Faker provider, by name; common ones run a column at a time."""

    kind: Literal["faker"]
    provider: str
    """The Faker method: first_name, email, street_address, ..."""
    args: dict[str, Any] = {}
    """Keyword arguments for the provider, as a table."""
    locale: str | list[str] | dict[str, Number] | None = None
    """This field's locale(s); default: the design's."""
    pool: Int | None = Field(None, ge=1, le=MAX_POOL)
    """Draw from a pool of this many values (at most 100,000): faster for slow providers, but values repeat."""


class Choice(FieldBase):
    """One of the values, by weight."""

    kind: Literal["choice"]
    values: list[Scalar] = Field(min_length=1)
    """The values to choose from."""
    weights: list[Number] | None = None
    """Relative weights, one per value; equal when omitted."""

    @model_validator(mode="after")
    def _weights_match(self):
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(f"weights has {len(self.weights)} entries but values has {len(self.values)}")
            if any(w <= 0 for w in self.weights):
                raise ValueError("weights must all be positive")
        return self


class Bool(FieldBase):
    """True with probability p."""

    kind: Literal["bool"]
    p: float = Field(0.5, ge=0, le=1)
    """Probability of true, 0..1."""
