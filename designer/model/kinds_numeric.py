"""Statistical distributions. Parameters mean what numpy means by them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Bounded, FieldBase, Number


class Uniform(Bounded):
    """Uniform in [min, max]; integers with dtype = "int"."""

    kind: Literal["uniform"]
    min: Number = 0
    max: Number = 1


class Normal(Bounded):
    """Normal (Gaussian), truncated to [min, max] where given."""

    kind: Literal["normal"]
    mean: Number = 0
    """Centre of the bell."""
    std: Number = Field(1, gt=0)
    """Standard deviation."""


class Lognormal(Bounded):
    """Log-normal: prices, amounts, durations. The median is e^mean."""

    kind: Literal["lognormal"]
    mean: Number = 0
    """Mean of the underlying normal."""
    sigma: Number = Field(1, gt=0)
    """Standard deviation of the underlying normal."""


class Exponential(Bounded):
    """Exponential: waiting times. The mean is scale."""

    kind: Literal["exponential"]
    scale: Number = Field(1, gt=0)
    """Mean of the distribution."""


class Poisson(Bounded):
    """Counts with the given mean."""

    kind: Literal["poisson"]
    mean: Number = Field(1, ge=0)
    """Expected count."""


class Zipf(FieldBase):
    """Heavy-tailed ranks 1..max: a few values are very common."""

    kind: Literal["zipf"]
    exponent: Number = Field(1.5, gt=0)
    """Larger means more skew."""
    max: int = Field(1000, ge=1)
    """Largest rank."""


class Beta(Bounded):
    """Beta(a, b) on [0, 1], scaled to [min, max] where given."""

    kind: Literal["beta"]
    a: Number = Field(2, gt=0)
    b: Number = Field(2, gt=0)


class Gamma(Bounded):
    """Gamma(shape, scale): positive skewed amounts."""

    kind: Literal["gamma"]
    shape: Number = Field(2, gt=0)
    scale: Number = Field(1, gt=0)


__all__ = ["Uniform", "Normal", "Lognormal", "Exponential", "Poisson", "Zipf", "Beta", "Gamma"]
