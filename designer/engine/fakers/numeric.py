"""Numbers Faker draws from its own arithmetic: coordinates, latitudes, longitudes, and yes/no at
a chance; as Faker's base methods do, for every locale that keeps them (`faithful`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from .faithful import mirrors
from .registry import provider

for _name, _module in {
    "coordinate": "faker.providers.geo",
    "latitude": "faker.providers.geo",
    "longitude": "faker.providers.geo",
    "boolean": "faker.providers.misc",
    "pybool": "faker.providers.python",
}.items():
    mirrors(_name, _module)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _coordinates(args: dict, rng: np.random.Generator, n: int) -> np.ndarray:
    """Millionths of a degree from -180 to 180; around a center, uniform within the radius and
    rounded to six decimals (Faker quantizes a Decimal)."""
    if args.get("center") is None:
        return rng.integers(-180_000_000, 180_000_001, n) / 1e6
    center, radius = float(args["center"]), float(args.get("radius", 0.001))
    return np.round(rng.uniform(center - radius, center + radius, n), 6)


def _coordinate_ok(args: dict) -> bool:
    return all(_number(args[k]) for k in ("center", "radius") if args.get(k) is not None)


@provider("coordinate", ("center", "radius"), accepts=_coordinate_ok)
def coordinate(locale, args, rng, n):
    return pl.Series(_coordinates(args, rng, n), dtype=pl.Float64)


@provider("longitude")
def longitude(locale, args, rng, n):
    return pl.Series(_coordinates({}, rng, n), dtype=pl.Float64)


@provider("latitude")
def latitude(locale, args, rng, n):
    """Half a longitude, as Faker's: multiples of half a millionth from -90 to 90."""
    return pl.Series(rng.integers(-180_000_000, 180_000_001, n) / 2e6, dtype=pl.Float64)


def _chance(name: str):
    def ok(args: dict) -> bool:
        chance = args.get(name, 50)
        return _number(chance) and 0 <= chance <= 100

    def draw(locale, args, rng, n):
        """True when a whole number from 1 to 100 is at most the chance, as Faker draws it."""
        return pl.Series(rng.integers(1, 101, n) <= args.get(name, 50), dtype=pl.Boolean)

    return ok, draw


for _name, _arg in (("boolean", "chance_of_getting_true"), ("pybool", "truth_probability")):
    _ok, _draw = _chance(_arg)
    provider(_name, (_arg,), accepts=_ok)(_draw)
