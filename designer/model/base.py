"""Shared pieces of the preset model: strict config, number and dtype aliases, common field options."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Number = int | float  # ints stay ints, so a saved preset reads `min = 18`, not `min = 18.0`
Dtype = Literal["int", "float", "str", "bool", "date", "datetime"]
Scalar = bool | int | float | str | dt.date | dt.datetime
Probability = float

DTYPES: tuple[str, ...] = ("int", "float", "str", "bool", "date", "datetime")


class Strict(BaseModel):
    """Frozen, unknown keys refused, attribute docstrings kept as help text."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=False
    )


class FieldBase(Strict):
    """Options every field takes, whatever its kind."""

    null_rate: float = Field(0.0, ge=0, le=1)
    """Share of rows set to null, 0..1."""
    unique: bool = False
    """Every value distinct; an impossible request is refused before generation."""
    edge_rate: float = Field(0.0, ge=0, le=1)
    """Share of rows replaced by edge cases of the field's type, within its bounds."""
    export: bool = True
    """False keeps a helper column out of the output; other fields may still use it."""
    dtype: Dtype | None = None
    """int, float, str, bool, date or datetime, where the kind can produce more than one."""
    description: str | None = None
    """Free text, shown in the TUI."""


class Bounded(FieldBase):
    """A numeric distribution truncated to [min, max]: drawn from the law conditioned on the window."""

    min: Number | None = None
    """Smallest value; the distribution is truncated, never piled up on the bound."""
    max: Number | None = None
    """Largest value; the distribution is truncated, never piled up on the bound."""
    decimals: int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    @model_validator(mode="after")
    def _min_not_above_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) > max ({self.max})")
        return self
