"""Statistical distributions. Parameters mean what numpy means by them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from .. import laws
from ..base import Bounded, FieldBase, Int, Number
from ..limits import INT64_MAX, MAX_POISSON_MEAN, MAX_ZIPF_RANKS, SIGMAS, finite

if TYPE_CHECKING:
    from typing import Self

    from ..design import Design


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


class Law(Bounded):
    """A numeric distribution: unique draws a permutation where its values are countable (whole
    numbers, or decimals between bounds)."""

    permutable: ClassVar[bool] = True
    positive: ClassVar[bool] = False
    """Draws are ≥ 0 without a min: the domain of whole numbers starts at 0."""

    def whole(self) -> bool:
        """Whether the values are whole numbers, for their domain."""
        return self.dtype == "int"

    def domain_size(self, design: Design) -> int | None:
        lo, hi = self.bounds()
        if self.positive and lo is None:
            lo = 0
        if self.whole():
            return None if lo is None or hi is None else max(0, math.floor(hi) - math.ceil(lo) + 1)
        if self.decimals is not None and lo is not None and hi is not None:
            return int(round((hi - lo) * 10**self.decimals)) + 1
        return None

    def count_mean(self) -> float:
        lo, hi = self.reach()
        return min(max(float(self.mean), lo, 0.0), hi)  # type: ignore[attr-defined]  # the count kinds have a mean


class Truncated(Law):
    """A law truncated to [min, max]: refused at load time when the window holds no probability."""

    @model_validator(mode="after")
    def _window_has_mass(self):
        laws.check_mass(self)
        return self


class Uniform(Law):
    """Uniform in [min, max]; integers with dtype = "int"."""

    kind: Literal["uniform"]
    min: Number = 0
    max: Number = 1

    counts: ClassVar[bool] = True
    count_starter: ClassVar[dict[str, Any]] = {"min": 0, "max": 5}  # 0..5 children per parent

    def count_mean(self) -> float:
        lo, hi = self.reach()
        return min(max((lo + hi) / 2, lo, 0.0), hi)

    def as_count(self) -> Self:
        # counts are whole: a uniform count without a dtype means uniform integers
        return self.model_copy(update={"dtype": "int"}) if self.dtype is None else self

    def envelope(self) -> tuple[float, float]:
        return (self.min, self.max)

    @model_validator(mode="after")
    def _samplable(self):
        if not finite(float(self.max) - float(self.min)):
            raise ValueError(f"max - min ({self.max} - {self.min}) is beyond the largest float")
        if self.dtype == "int" and self.max >= INT64_MAX:  # numpy draws below max + 1
            raise ValueError(f"max ({self.max}) must be below 2^63-1 for dtype int")
        return self


class Normal(Truncated):
    """Normal (Gaussian), truncated to [min, max] where given."""

    kind: Literal["normal"]
    mean: Number = 0
    """Centre of the bell."""
    std: Number = Field(1, gt=0)
    """Standard deviation."""

    counts: ClassVar[bool] = True
    count_starter: ClassVar[dict[str, Any]] = {"mean": 2, "std": 1, "min": 0, "dtype": "int"}

    def law(self) -> laws.Continuous:
        return laws.Continuous("normal", self.mean, self.std)

    def envelope(self) -> tuple[float, float]:
        return (self.mean - SIGMAS * self.std, self.mean + SIGMAS * self.std)


class Lognormal(Truncated):
    """Log-normal: prices, amounts, durations. The median is e^mean."""

    kind: Literal["lognormal"]
    mean: Number = 0
    """Mean of the underlying normal."""
    sigma: Number = Field(1, gt=0)
    """Standard deviation of the underlying normal."""

    positive: ClassVar[bool] = True

    def law(self) -> laws.Continuous:
        return laws.Continuous("lognormal", self.mean, self.sigma)

    def envelope(self) -> tuple[float, float]:
        return (_exp(self.mean - SIGMAS * self.sigma), _exp(self.mean + SIGMAS * self.sigma))


class Exponential(Truncated):
    """Exponential: waiting times. The mean is scale."""

    kind: Literal["exponential"]
    scale: Number = Field(1, gt=0)
    """Mean of the distribution."""

    positive: ClassVar[bool] = True

    def law(self) -> laws.Continuous:
        return laws.Continuous("exponential", self.scale)

    def envelope(self) -> tuple[float, float]:
        return (0.0, SIGMAS * self.scale)


class Poisson(Truncated):
    """Counts with the given mean."""

    kind: Literal["poisson"]
    mean: Number = Field(1, ge=0, le=MAX_POISSON_MEAN)
    """Expected count."""

    counts: ClassVar[bool] = True
    count_starter: ClassVar[dict[str, Any]] = {"mean": 2}
    positive: ClassVar[bool] = True

    def whole(self) -> bool:
        return True  # a float dtype writes whole numbers as floats: the same domain

    def law(self) -> laws.Poisson:
        return laws.Poisson(self.mean)

    def envelope(self) -> tuple[float, float]:
        spread = SIGMAS * (math.sqrt(self.mean) + 1)
        return (max(0.0, self.mean - spread), self.mean + spread)

    def gives_ints(self) -> bool:
        return self.dtype != "float"


class Zipf(FieldBase):
    """Heavy-tailed ranks 1..max: a few values are very common."""

    kind: Literal["zipf"]
    exponent: Number = Field(1.5, gt=0)
    """Larger means more skew."""
    max: Int = Field(1000, ge=1, le=MAX_ZIPF_RANKS)
    """Largest rank."""

    counts: ClassVar[bool] = True
    count_starter: ClassVar[dict[str, Any]] = {"exponent": 1.5, "max": 10}
    permutable: ClassVar[bool] = True

    def bounds(self) -> tuple[Any, Any]:
        return 1, self.max

    def domain_size(self, design: Design) -> int | None:
        return self.max

    def count_range(self) -> tuple[int, int | None]:
        return 1, self.max

    def count_mean(self) -> float:
        # sum k^(1-s) / sum k^-s over 1..n, each sum as 1 + its integral from 1 to n
        s, n = float(self.exponent), self.max

        def power_sum(p: float) -> float:
            return 1 + (math.log(n) if abs(p + 1) < 1e-12 else (n ** (p + 1) - 1) / (p + 1))

        return min(float(n), power_sum(1 - s) / power_sum(-s))


class Beta(Law):
    """Beta(a, b) on [0, 1], scaled to [min, max] where given: min + (max - min) * Beta(a, b)."""

    kind: Literal["beta"]
    a: Number = Field(2, gt=0)
    b: Number = Field(2, gt=0)
    min: Number | None = None
    """Where 0 of Beta(a, b) lands (default 0): the range is scaled, not truncated."""
    max: Number | None = None
    """Where 1 of Beta(a, b) lands (default 1): the range is scaled, not truncated."""

    def scaled_to(self) -> tuple[float, float]:
        return (0 if self.min is None else self.min), (1 if self.max is None else self.max)

    @model_validator(mode="after")
    def _range_not_reversed(self):
        lo, hi = self.scaled_to()
        if lo > hi:  # only one bound given: the other's default is on the wrong side
            raise ValueError(f"min ({lo}) > max ({hi}); beta's range defaults to [0, 1]")
        return self

    def envelope(self) -> tuple[float, float]:
        return self.scaled_to()


class Gamma(Truncated):
    """Gamma(shape, scale): positive skewed amounts."""

    kind: Literal["gamma"]
    shape: Number = Field(2, gt=0)
    scale: Number = Field(1, gt=0)

    positive: ClassVar[bool] = True

    def law(self) -> laws.Continuous:
        return laws.Continuous("gamma", self.shape, self.scale)

    def envelope(self) -> tuple[float, float]:
        return (0.0, self.scale * (self.shape + SIGMAS * (math.sqrt(self.shape) + 1)))


NumericField = Uniform | Normal | Lognormal | Exponential | Poisson | Zipf | Beta | Gamma
"""The numeric family: a new kind of it goes in this union (the field union is made of the families')."""
