"""Kinds that need no other field: constants, keys, Faker providers, choices."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from ..base import FieldBase, Int, Number, Scalar
from ..catalog import GIVES_NULL, MAX_POOL
from ..limits import check_last
from ..providers import check_faker
from ..shapes import json_shape

if TYPE_CHECKING:
    from ..checks import FieldCheck
    from ..design import Design


class Const(FieldBase):
    """The same value in every row."""

    kind: Literal["const"]
    value: Scalar
    """The value."""

    counts: ClassVar[bool] = True
    deals_once: ClassVar[bool] = True  # unique asks for one row at most: the capacity check says so
    starter: ClassVar[dict[str, Any]] = {"value": "value"}
    count_starter: ClassVar[dict[str, Any]] = {"value": 1}

    def domain_size(self, design: Design) -> int | None:
        return 1

    def count_problem(self) -> str | None:
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            return f"a const count must be a whole number ≥ 0, not {self.value!r}"
        return None

    def count_range(self) -> tuple[int, int | None]:
        return int(self.value), int(self.value)  # type: ignore[arg-type]  # count_problem: an int

    def count_mean(self) -> float:
        return float(self.value)  # type: ignore[arg-type]  # count_problem: an int


class Sequence(FieldBase):
    """start, start+step, ... across the whole entity: a natural key."""

    kind: Literal["sequence"]
    start: Number = 1
    """First value."""
    step: Number = 1
    """Difference between consecutive rows."""

    keys: ClassVar[bool] = True
    deals_once: ClassVar[bool] = True
    continues: ClassVar[bool] = True

    @model_validator(mode="after")
    def _step_not_zero(self):
        if self.step == 0:
            raise ValueError("step must not be 0")
        return self

    def check_reach(self, design: Design, path: str, rows: float, per_parent: float | None) -> None:
        check_last(self, design, path, rows)

    def continued(self, lowest: Any, highest: Any) -> Sequence:
        """Started k steps later, the first k with start + step * k beyond the values held (above the
        highest for a rising sequence, below the lowest for a falling one); as designed when none is."""
        past = highest if self.step > 0 else lowest
        if past is None:
            return self
        exact = all(isinstance(v, int) for v in (past, self.start, self.step))  # ints beyond 2^53 stay exact
        k = max(0, ((past - self.start) // self.step if exact else math.floor((past - self.start) / self.step)) + 1)

        def held(value) -> bool:
            return value <= past if self.step > 0 else value >= past

        while held(self.start + self.step * k):
            k += 1  # a float division a hair short of the bound
        return self._changed(start=self.start + self.step * k)


class Uuid(FieldBase):
    """Random UUID v4 strings, drawn from the seed."""

    kind: Literal["uuid"]

    keys: ClassVar[bool] = True
    deals_once: ClassVar[bool] = True


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

    starter: ClassVar[dict[str, Any]] = {"provider": "word"}
    observed: ClassVar[bool] = True  # its bounds are the provider's: edge cases stay within the values seen

    def check(self, at: FieldCheck) -> None:
        at.locale(self.locale, f"{at.path}.locale")
        locale = self.locale or at.design.info.locale
        for name in [locale] if isinstance(locale, str) else list(locale):
            check_faker(self, name, at.design.info.reference_time, at.path)

    def may_be_null(self) -> bool:
        return self.provider in GIVES_NULL  # pyobject, the other, is refused at load

    def json_shape(self) -> Any:
        return json_shape(self.provider, self.args or {})


class Choice(FieldBase):
    """One of the values, by weight."""

    kind: Literal["choice"]
    values: list[Scalar] = Field(min_length=1)
    """The values to choose from."""
    weights: list[Number] | None = None
    """Relative weights, one per value; equal when omitted."""

    counts: ClassVar[bool] = True
    deals_once: ClassVar[bool] = True  # the drawer deals each value once when unique
    starter: ClassVar[dict[str, Any]] = {"values": ["a", "b"]}
    count_starter: ClassVar[dict[str, Any]] = {"values": [0, 1, 2]}

    def domain_size(self, design: Design) -> int | None:
        return len({repr(v) for v in self.values})

    def count_problem(self) -> str | None:
        bad = [v for v in self.values if isinstance(v, bool) or not isinstance(v, int) or v < 0]
        return f"a choice count must choose among whole numbers ≥ 0, not {bad[0]!r}" if bad else None

    def count_range(self) -> tuple[int, int | None]:
        return min(self.values), max(self.values)  # type: ignore[return-value]  # count_problem: ints

    def count_mean(self) -> float:
        weights = self.weights or [1] * len(self.values)
        return sum(v * w for v, w in zip(self.values, weights, strict=True)) / sum(weights)  # type: ignore[operator,misc]

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

    def domain_size(self, design: Design) -> int | None:
        return 2


BasicField = Const | Sequence | Uuid | Faker | Choice | Bool
"""The basic family: a new kind of it goes in this union (the field union is made of the families')."""
