"""Shared pieces of the preset model: strict config, number and dtype aliases, common field options."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .limits import finite, in_int64, within_int64


def _not_bool(value):
    # TOML's true is not 1: a bool where a number is meant is a mistake, never a count of one
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


def _in_range(value):
    if isinstance(value, int) and not in_int64(value):
        raise ValueError(f"{value} is beyond 64-bit integers (-2^63..2^63-1)")
    if isinstance(value, float) and not finite(value):
        raise ValueError(f"must be a finite number, not {value}")
    return value


# ints stay ints, so a saved preset reads `min = 18`, not `min = 18.0`; both within int64 / finite
Number = Annotated[int | float, BeforeValidator(_not_bool), AfterValidator(_in_range)]
Int = Annotated[int, BeforeValidator(_not_bool), AfterValidator(_in_range)]
Dtype = Literal["int", "float", "str", "bool", "date", "datetime"]
# A plain union at the top (the TUI's form reads its members). The float member checks its input
# first: an int beyond int64 would otherwise pass as a float.
Scalar = (
    bool | Annotated[int, AfterValidator(_in_range)] | Annotated[float, BeforeValidator(_in_range)] | str | dt.date | dt.datetime
)
Probability = float

DTYPES: tuple[str, ...] = ("int", "float", "str", "bool", "date", "datetime")


class Strict(BaseModel):
    """Frozen, unknown keys refused, attribute docstrings kept as help text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=False,
        allow_inf_nan=False,  # nan and inf are no bound, rate or parameter
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
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    @model_validator(mode="after")
    def _min_not_above_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) > max ({self.max})")
        return self

    def envelope(self) -> tuple[float, float]:
        """Where untruncated draws fall (within SIGMAS standard deviations); each kind says."""
        return (-math.inf, math.inf)

    def reach(self) -> tuple[float, float]:
        """The smallest and largest value a draw can give: the bounds where set, else the envelope."""
        lo, hi = self.envelope()
        lo, hi = (lo if self.min is None else self.min), (hi if self.max is None else self.max)
        return min(lo, hi), max(lo, hi)  # a window past the envelope: its draws sit at its bound

    def gives_ints(self) -> bool:
        return self.dtype == "int"

    @model_validator(mode="after")
    def _draws_fit(self):
        lo, hi = self.reach()
        if not (finite(lo) and finite(hi)):
            raise ValueError(
                f"draws can reach {lo:.3g}..{hi:.3g}, beyond the largest float: use smaller parameters or give min and max"
            )
        if self.gives_ints():
            within_int64(math.floor(lo), math.ceil(hi), "integer draws")
        return self
