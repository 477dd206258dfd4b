"""Statistical distributions. Parameters mean what numpy means by them."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from . import laws
from .base import Bounded, FieldBase, Int, Number
from .limits import INT64_MAX, MAX_POISSON_MEAN, MAX_ZIPF_RANKS, SIGMAS, finite


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


class Truncated(Bounded):
    """A law truncated to [min, max]: refused at load time when the window holds no probability."""

    @model_validator(mode="after")
    def _window_has_mass(self):
        laws.check_mass(self)
        return self


class Uniform(Bounded):
    """Uniform in [min, max]; integers with dtype = "int"."""

    kind: Literal["uniform"]
    min: Number = 0
    max: Number = 1

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

    def law(self) -> laws.Continuous:
        return laws.Continuous("lognormal", self.mean, self.sigma)

    def envelope(self) -> tuple[float, float]:
        return (_exp(self.mean - SIGMAS * self.sigma), _exp(self.mean + SIGMAS * self.sigma))


class Exponential(Truncated):
    """Exponential: waiting times. The mean is scale."""

    kind: Literal["exponential"]
    scale: Number = Field(1, gt=0)
    """Mean of the distribution."""

    def law(self) -> laws.Continuous:
        return laws.Continuous("exponential", self.scale)

    def envelope(self) -> tuple[float, float]:
        return (0.0, SIGMAS * self.scale)


class Poisson(Truncated):
    """Counts with the given mean."""

    kind: Literal["poisson"]
    mean: Number = Field(1, ge=0, le=MAX_POISSON_MEAN)
    """Expected count."""

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


class Beta(Bounded):
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

    def law(self) -> laws.Continuous:
        return laws.Continuous("gamma", self.shape, self.scale)

    def envelope(self) -> tuple[float, float]:
        return (0.0, self.scale * (self.shape + SIGMAS * (math.sqrt(self.shape) + 1)))


__all__ = ["Uniform", "Normal", "Lognormal", "Exponential", "Poisson", "Zipf", "Beta", "Gamma"]
