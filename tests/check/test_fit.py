"""The laws and tests `designer check` uses, against scipy.stats' own distributions and tests, and
on the engine's draws of every kind that has a law: they pass, and a nearby other law fails."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

import designer
from designer.check import ALPHA, check, fit
from designer.model.kinds import Exponential, Gamma, Lognormal, Normal, Poisson, Zipf

X = np.linspace(-5, 400, 997)


def _truncated(dist, lo, hi):
    return lambda x: np.clip((dist.cdf(x) - dist.cdf(lo)) / (dist.cdf(hi) - dist.cdf(lo)), 0, 1)


@pytest.mark.parametrize(
    ("spec", "oracle"),
    [
        (
            Normal(kind="normal", mean=35, std=12, min=18, max=90),
            lambda: st.truncnorm((18 - 35) / 12, (90 - 35) / 12, loc=35, scale=12).cdf,
        ),
        (
            Normal(kind="normal", mean=0, std=1, min=3, max=6),
            lambda: st.truncnorm(3, 6).cdf,
        ),  # the upper tail, from the survival side
        (
            Lognormal(kind="lognormal", mean=3.4, sigma=1.0, max=200),
            lambda: _truncated(st.lognorm(s=1.0, scale=np.exp(3.4)), 0, 200),
        ),
        (Exponential(kind="exponential", scale=30, min=5, max=300), lambda: _truncated(st.expon(scale=30), 5, 300)),
        (Gamma(kind="gamma", shape=2, scale=3), lambda: st.gamma(2, scale=3).cdf),
    ],
)
def test_continuous_laws_are_scipys_truncated_cdfs(spec, oracle):
    law = fit.law_of(spec)
    assert isinstance(law, fit.Continuous)
    np.testing.assert_allclose(law.cdf(X), oracle()(X), atol=1e-12)


def test_discrete_laws_are_scipys():
    k = np.arange(-2, 60)
    poisson = fit.law_of(Poisson(kind="poisson", mean=20, min=15, max=30))
    mass = st.poisson.cdf(30, 20) - st.poisson.cdf(14, 20)
    np.testing.assert_allclose(poisson.cdf(k), np.clip((st.poisson.cdf(k, 20) - st.poisson.cdf(14, 20)) / mass, 0, 1), atol=1e-12)
    zipf = fit.law_of(Zipf(kind="zipf", exponent=1.2, max=40))
    np.testing.assert_allclose(zipf.cdf(k), st.zipfian.cdf(k, 1.2, 40), atol=1e-12)
    whole = fit.law_of(Normal(kind="normal", mean=35, std=12, min=18, max=90, dtype="int"))
    cells = st.truncnorm((17.5 - 35) / 12, (90.5 - 35) / 12, loc=35, scale=12)
    np.testing.assert_allclose(whole.cdf(k), cells.cdf(k + 0.5), atol=1e-12)  # k stands for [k - 0.5, k + 0.5)


def test_ks_and_chi_square_are_scipys_on_unrounded_values():
    rng = np.random.default_rng(7)
    values = rng.normal(3, 2, 400)
    law = fit.Continuous(st.norm(3, 2).cdf, 0.0, "normal")
    ours, theirs = fit.ks(values, law), st.kstest(values, st.norm(3, 2).cdf, method="exact")
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
    observed, probs = np.array([130, 60, 10]), np.array([0.7, 0.2, 0.1])
    ours = fit.chi_square_categories(observed, probs)
    theirs = st.chisquare(observed, probs * observed.sum())
    assert ours.statistic == pytest.approx(theirs.statistic) and ours.p_value == pytest.approx(theirs.pvalue)
    assert fit.binomial(78, 1000, 0.1).p_value == pytest.approx(st.binomtest(78, 1000, 0.1).pvalue)


KINDS = """
format = 1
[design]
seed = 11
[entities.draws]
rows = 4000
[entities.draws.fields]
id = { kind = "sequence" }
height = { kind = "normal", mean = 170, std = 9, decimals = 1 }
age = { kind = "normal", mean = 40, std = 15, min = 18, max = 70, dtype = "int" }
amount = { kind = "lognormal", mean = 3.4, sigma = 0.8, max = 500, decimals = 2 }
wait = { kind = "exponential", scale = 30 }
size = { kind = "gamma", shape = 2, scale = 3, decimals = 3 }
score = { kind = "beta", a = 5, b = 2, min = 1, max = 5, decimals = 1 }
visits = { kind = "poisson", mean = 6, min = 2, max = 12 }
rank = { kind = "zipf", exponent = 1.3, max = 50 }
dice = { kind = "uniform", min = 1, max = 6, dtype = "int" }
ratio = { kind = "uniform", min = 0, max = 1 }
flag = { kind = "bool", p = 0.3 }
tier = { kind = "choice", values = ["a", "b", "c"], weights = [5, 3, 2] }
day = { kind = "date", start = "2024-01-01", end = "2024-03-31" }
at = { kind = "datetime", start = "-30d", end = "now" }
"""

# each a law near the one drawn: the same field names and types, one parameter moved
NEARBY = {
    "height": ("mean = 170, std = 9", "mean = 171, std = 9"),
    "age": ("mean = 40, std = 15", "mean = 43, std = 15"),
    "amount": ("mean = 3.4, sigma = 0.8", "mean = 3.4, sigma = 0.9"),
    "wait": ("scale = 30", "scale = 34"),
    "size": ("shape = 2, scale = 3", "shape = 2.3, scale = 3"),
    "score": ("a = 5, b = 2", "a = 5, b = 2.4"),
    "visits": ("mean = 6, min", "mean = 6.4, min"),
    "rank": ("exponent = 1.3", "exponent = 1.2"),
    "ratio": ("min = 0, max = 1 }", "min = 0, max = 1.1 }"),
    "flag": ("p = 0.3", "p = 0.34"),
    "tier": ("weights = [5, 3, 2]", "weights = [5, 2.5, 2.5]"),
    "day": ('start = "2024-01-01"', 'start = "2023-12-25"'),
}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("kinds") / "draws.sqlite"
    designer.loads(KINDS).export(path)
    return str(path)


def test_the_engines_draws_of_every_kind_pass(drawn):
    report = check(designer.loads(KINDS).design, drawn)
    assert report.ok, report.failures
    laws = {r.where.split(".")[1]: r for r in report.results if r.rule == "law"}
    assert set(laws) == set(NEARBY) | {"dice", "at"}
    assert all(r.p_value is not None and r.p_value >= ALPHA for r in laws.values())


@pytest.mark.parametrize("name", list(NEARBY))
def test_a_nearby_law_fails(drawn, name):
    before, after = NEARBY[name]
    text = KINDS.replace(f"{name} = {{", "\0").split("\0")
    moved = text[0] + f"{name} = {{" + text[1].replace(before, after, 1)
    assert moved != KINDS
    report = check(designer.loads(moved).design, drawn)
    failed = {(r.rule, r.where) for r in report.failures}
    assert ("law", f"draws.{name}") in failed, [r for r in report.results if r.where == f"draws.{name}"]


def test_whole_numbers_over_a_huge_range_are_tested_without_a_cell_per_value():
    spec = Lognormal(kind="lognormal", mean=20, sigma=1.0, max=1e12, dtype="int")  # medians near 5e8
    law = fit.law_of(spec)
    rng = np.random.default_rng(3)
    drawn = np.floor(rng.lognormal(20, 1.0, 2000) + 0.5)
    fitted = fit.chi_square_discrete(drawn, law)
    assert fitted.test == "KS" and fitted.p_value >= ALPHA
    assert fit.chi_square_discrete(drawn * 1.2, law).p_value < ALPHA
