"""Each distribution's statistics against what it declares, with tolerances that cannot pass by accident."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from .helpers import column

N = 40_000


def ks_statistic(sample: np.ndarray, cdf) -> float:
    x = np.sort(sample)
    n = len(x)
    c = cdf(x)
    return float(max(np.max(np.arange(1, n + 1) / n - c), np.max(c - np.arange(0, n) / n)))


def ks_limit(n: int) -> float:
    return 1.95 / math.sqrt(n)  # alpha ~ 0.001: a wrong distribution at this n fails by far


def normal_cdf(x, mean=0.0, std=1.0):
    return 0.5 * (1 + np.vectorize(math.erf)((x - mean) / (std * math.sqrt(2))))


def test_normal_matches_its_cdf():
    values = column({"x": '{ kind = "normal", mean = 50, std = 10 }'}, "x", N).to_numpy()
    assert ks_statistic(values, lambda x: normal_cdf(x, 50, 10)) < ks_limit(N)
    assert ks_statistic(values, lambda x: normal_cdf(x, 52, 10)) > ks_limit(N)  # the test can fail


def test_normal_truncated_int_stays_in_bounds_without_piling_up():
    values = column({"age": '{ kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }'}, "age", N)
    assert values.dtype == pl.Int64
    assert values.min() == 18 and values.max() <= 90
    counts = values.value_counts().sort("age")
    at_18 = counts.filter(pl.col("age") == 18)["count"][0]
    at_19 = counts.filter(pl.col("age") == 19)["count"][0]
    assert at_18 < 1.3 * at_19  # redrawn, not clipped onto the bound
    # truncated normal mean: mu + sigma * (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    a, b = (17.5 - 35) / 12, (90.5 - 35) / 12

    def phi(z):
        return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    def Phi(z):
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    expected = 35 + 12 * (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    assert abs(values.mean() - expected) < 5 * 12 / math.sqrt(N)


def test_uniform_float_with_decimals():
    values = column({"p": '{ kind = "uniform", min = 9.99, max = 999.99, decimals = 2 }'}, "p", N)
    assert values.dtype == pl.Float64
    assert values.min() >= 9.99 and values.max() <= 999.99
    assert (values * 100 - (values * 100).round(0)).abs().max() < 1e-6
    assert ks_statistic(values.to_numpy(), lambda x: (x - 9.99) / 990) < ks_limit(N)


def test_uniform_int_covers_every_value_evenly():
    values = column({"q": '{ kind = "uniform", min = 1, max = 3, dtype = "int" }'}, "q", N)
    shares = values.value_counts().sort("q")["count"].to_numpy() / N
    assert list(values.unique().sort()) == [1, 2, 3]
    assert np.all(np.abs(shares - 1 / 3) < 5 * math.sqrt((1 / 3) * (2 / 3) / N))


def test_lognormal_median_is_e_to_the_mean():
    values = column({"a": '{ kind = "lognormal", mean = 3, sigma = 0.5 }'}, "a", N).to_numpy()
    assert ks_statistic(np.log(values), lambda x: normal_cdf(x, 3, 0.5)) < ks_limit(N)
    assert abs(np.median(values) / math.exp(3) - 1) < 0.02


def test_exponential_mean_is_scale():
    values = column({"w": '{ kind = "exponential", scale = 4 }'}, "w", N).to_numpy()
    assert ks_statistic(values, lambda x: 1 - np.exp(-x / 4)) < ks_limit(N)


def test_poisson_mean_and_variance():
    values = column({"c": '{ kind = "poisson", mean = 6 }'}, "c", N)
    assert values.dtype == pl.Int64
    assert abs(values.mean() - 6) < 5 * math.sqrt(6 / N)
    assert abs(values.var() - 6) < 0.3


def test_zipf_rank_frequencies_follow_the_exponent():
    values = column({"r": '{ kind = "zipf", exponent = 1.2, max = 50 }'}, "r", N)
    assert values.min() >= 1 and values.max() <= 50
    counts = values.value_counts().sort("r")["count"].to_numpy()
    expected = np.arange(1, 51) ** -1.2
    expected = expected / expected.sum() * N
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 100  # 49 degrees of freedom: p ~ 1e-5 at 100


def test_beta_and_gamma_means():
    beta = column({"b": '{ kind = "beta", a = 2, b = 5 }'}, "b", N)
    assert beta.min() >= 0 and beta.max() <= 1
    assert abs(beta.mean() - 2 / 7) < 5 * math.sqrt(2 * 5 / (49 * 8)) / math.sqrt(N)
    gamma = column({"g": '{ kind = "gamma", shape = 3, scale = 2 }'}, "g", N)
    assert abs(gamma.mean() - 6) < 5 * math.sqrt(12 / N)


def test_choice_weights_chi_square():
    values = column({"role": '{ kind = "choice", values = ["user", "premium", "admin"], weights = [70, 20, 10] }'}, "role", N)
    counts = dict(values.value_counts().iter_rows())
    expected = {"user": 0.7 * N, "premium": 0.2 * N, "admin": 0.1 * N}
    chi2 = sum((counts[k] - e) ** 2 / e for k, e in expected.items())
    assert chi2 < 13.8  # 2 degrees of freedom, p = 0.001


def test_bool_probability():
    values = column({"b": '{ kind = "bool", p = 0.9 }'}, "b", N)
    assert values.dtype == pl.Boolean
    assert abs(values.mean() - 0.9) < 5 * math.sqrt(0.09 / N)


@pytest.mark.parametrize("kind", ["date", "datetime"])
def test_dates_uniform_in_relative_range(kind):
    values = column({"d": f'{{ kind = "{kind}", start = "-90d", end = "now" }}'}, "d", N)
    assert values.dtype == (pl.Date if kind == "date" else pl.Datetime("us"))
    lo = pl.datetime(2025, 3, 3) if kind == "datetime" else pl.date(2025, 3, 3)
    bounds = pl.select(lo.alias("lo")).item()
    assert values.min() >= bounds
    assert str(values.max()) <= "2025-06-01 00:00:00"
    span = values.max() - values.min()
    assert span.days >= 88
