"""coordinate, latitude, longitude, boolean and pybool at column speed: Faker's grids, ranges and
chances, checked against Faker's own values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from designer.engine.fakers import generate, path_of
from designer.engine.fakers.fallback import per_row

N = 50_000


def ours(provider: str, args: dict | None = None, n: int = N) -> np.ndarray:
    return generate(provider, args or {}, [("en_US", 1.0)], np.random.default_rng(21), n).to_numpy()


def fakers_own(provider: str, args: dict | None = None, n: int = 3_000) -> np.ndarray:
    return per_row(provider, args or {}, "en_US", np.random.default_rng(22), n).to_numpy()


def on_grid(values: np.ndarray, step: float) -> bool:
    return bool(np.all(np.abs(values / step - np.round(values / step)) < 1e-6))


def ks_uniform(sample: np.ndarray, low: float, high: float) -> float:
    x = np.sort(sample)
    cdf, n = (x - low) / (high - low), len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(0, n) / n)))


@pytest.mark.parametrize(
    ("provider", "args", "low", "high", "step"),
    [
        ("coordinate", {}, -180, 180, 1e-6),
        ("longitude", {}, -180, 180, 1e-6),
        ("latitude", {}, -90, 90, 5e-7),  # half a coordinate
        ("coordinate", {"center": 52.52, "radius": 0.05}, 52.47, 52.57, 1e-6),
    ],
)
def test_coordinates_are_fakers_grid_uniform_over_its_range(provider, args, low, high, step):
    assert path_of(provider, args, "en_US") == "vectorized"
    mine, theirs = ours(provider, args), fakers_own(provider, args)
    for values in (mine, theirs):
        assert low - 1e-9 <= values.min() and values.max() <= high + 1e-9 and on_grid(values, step)
    assert ks_uniform(mine, low, high) < 1.95 / math.sqrt(N)
    assert ks_uniform(mine, low + 0.05 * (high - low), high) > 1.95 / math.sqrt(N)  # the test can fail
    assert ks_uniform(theirs, low, high) < 1.95 / math.sqrt(len(theirs))


@pytest.mark.parametrize(
    ("provider", "args", "p"),
    [
        ("boolean", {}, 0.5),
        ("boolean", {"chance_of_getting_true": 25}, 0.25),
        ("boolean", {"chance_of_getting_true": 0}, 0.0),
        ("pybool", {"truth_probability": 100}, 1.0),
        ("pybool", {"truth_probability": 7}, 0.07),
    ],
)
def test_a_chance_is_a_whole_percent_as_faker_draws_it(provider, args, p):
    mine, theirs = ours(provider, args), fakers_own(provider, args)
    assert mine.dtype == theirs.dtype == np.bool_
    assert abs(mine.mean() - p) <= 6 * math.sqrt(p * (1 - p) / N) + 1e-12
    assert abs(theirs.mean() - p) <= 6 * math.sqrt(p * (1 - p) / len(theirs)) + 1e-12


def test_what_faker_would_refuse_is_left_to_faker():
    assert path_of("boolean", {"chance_of_getting_true": 150}, "en_US") == "per-row"
    assert path_of("coordinate", {"center": "52.5"}, "en_US") == "per-row"  # Faker's float() reads text
