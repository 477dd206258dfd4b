"""Truncated distributions against scipy.stats: the exact truncated mean (within 5 standard errors)
and the whole law (KS for continuous kinds, chi-square over the support for integer ones).

The oracle is scipy.stats' own distributions, integrated or summed here; none of it goes through
the engine's sampler or designer.model.laws.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import integrate, stats

from .helpers import column, design_with

N = 30_000
P_MIN = 1e-4


def truncated_cdf(dist, lo, hi):
    """CDF of `dist` truncated to [lo, hi], from the side where it keeps precision."""
    if lo > dist.median():
        s_lo, s_hi = dist.sf(lo), dist.sf(hi)
        return lambda x: (s_lo - dist.sf(np.clip(x, lo, hi))) / (s_lo - s_hi)
    c_lo, c_hi = dist.cdf(lo), dist.cdf(hi)
    return lambda x: (dist.cdf(np.clip(x, lo, hi)) - c_lo) / (c_hi - c_lo)


def truncated_moments(dist, lo, hi) -> tuple[float, float]:
    """Mean and variance of the truncated law, by numerical integration of the pdf (scaled so the
    window's mass, however small, is of order 1; infinite ends cut where 1e-20 of the mass is left)."""
    lo = max(lo, dist.ppf(0)) if np.isfinite(dist.ppf(0)) else (lo if np.isfinite(lo) else dist.ppf(1e-20))
    hi = hi if np.isfinite(hi) else dist.isf(1e-20 * dist.sf(lo))
    grid = np.linspace(lo, hi, 1001)[1:-1]
    peak = float(np.max(dist.logpdf(grid)))
    points = [p for p in (dist.mean(), dist.median()) if lo < p < hi] or None

    def dens(x):
        return math.exp(dist.logpdf(x) - peak)

    def quad(f):
        return integrate.quad(f, lo, hi, points=points, limit=400)[0]

    m0 = quad(dens)
    m1 = quad(lambda x: x * dens(x)) / m0
    return m1, quad(lambda x: (x - m1) ** 2 * dens(x)) / m0


CONTINUOUS = [
    # (spec, scipy law, lo, hi)
    ('{ kind = "normal", mean = 0, std = 1, min = 2.5, max = 6 }', stats.norm(0, 1), 2.5, 6),
    ('{ kind = "normal", mean = 0, std = 1, min = 10, max = 11 }', stats.norm(0, 1), 10, 11),
    ('{ kind = "normal", mean = 0, std = 1, min = -3, max = -2.9 }', stats.norm(0, 1), -3, -2.9),
    ('{ kind = "normal", mean = 0, std = 1, min = -12, max = -11 }', stats.norm(0, 1), -12, -11),
    ('{ kind = "normal", mean = 50, std = 10, min = 20 }', stats.norm(50, 10), 20, np.inf),
    (
        '{ kind = "lognormal", mean = 3.4, sigma = 1.0, min = 0.5, max = 25000 }',
        stats.lognorm(1.0, scale=math.exp(3.4)),
        0.5,
        25000,
    ),
    ('{ kind = "lognormal", mean = 0, sigma = 0.5, min = 20, max = 30 }', stats.lognorm(0.5), 20, 30),
    ('{ kind = "exponential", scale = 4, min = 20, max = 24 }', stats.expon(scale=4), 20, 24),
    ('{ kind = "exponential", scale = 4, min = 1, max = 6 }', stats.expon(scale=4), 1, 6),
    ('{ kind = "exponential", scale = 2, min = 200 }', stats.expon(scale=2), 200, np.inf),
    ('{ kind = "gamma", shape = 2, scale = 3, min = 1, max = 30 }', stats.gamma(2, scale=3), 1, 30),
    ('{ kind = "gamma", shape = 2, scale = 3, min = 60, max = 70 }', stats.gamma(2, scale=3), 60, 70),
    ('{ kind = "gamma", shape = 0.5, scale = 1, max = 0.001 }', stats.gamma(0.5), 0, 0.001),
    ('{ kind = "beta", a = 5, b = 2, min = 1, max = 5 }', stats.beta(5, 2, loc=1, scale=4), 1, 5),
    ('{ kind = "beta", a = 2, b = 2, min = 0, max = 100 }', stats.beta(2, 2, scale=100), 0, 100),
    ('{ kind = "uniform", min = -3, max = 7 }', stats.uniform(-3, 10), -3, 7),
]


def check_continuous(values: np.ndarray, dist, lo, hi) -> tuple[float, float]:
    """(mean error in standard errors, KS p-value)."""
    mean, var = truncated_moments(dist, lo, hi)
    se = math.sqrt(var / len(values))
    return abs(values.mean() - mean) / se, stats.kstest(values, truncated_cdf(dist, lo, hi)).pvalue


@pytest.mark.parametrize("spec,dist,lo,hi", CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_truncation_is_exact(spec, dist, lo, hi):
    values = column({"x": spec}, "x", N).to_numpy()
    assert values.min() >= lo and values.max() <= hi
    errors, p = check_continuous(values, dist, lo, hi)
    assert errors < 5, errors
    assert p > P_MIN, p


def test_the_checks_reject_the_old_uniform_fallback():
    """The old engine gave up after 200 redraws and spread the rest uniformly over the window."""
    dist, lo, hi = stats.norm(0, 1), 10, 11
    uniform = np.random.default_rng(1).uniform(lo, hi, N)
    errors, p = check_continuous(uniform, dist, lo, hi)
    assert errors > 5 and p < P_MIN
    unscaled_beta = np.random.default_rng(1).beta(5, 2, N)  # beta left on [0, 1]
    errors, p = check_continuous(unscaled_beta, stats.beta(5, 2, loc=1, scale=4), 1, 5)
    assert errors > 5 and p < P_MIN


def chi_square_p(values: np.ndarray, support: np.ndarray, pmf: np.ndarray) -> float:
    """Chi-square goodness of fit over the support, pooling the sparse tail cells (expected < 5)."""
    pmf = pmf / pmf.sum()
    observed = np.array([(values == k).sum() for k in support], dtype=float)
    assert observed.sum() == len(values), "values outside the support"
    expected = pmf * len(values)
    keep = expected >= 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5:  # fold the pooled remainder into the last kept cell
        obs, exp = np.append(obs[:-2], obs[-2:].sum()), np.append(exp[:-2], exp[-2:].sum())
    return stats.chisquare(obs, exp).pvalue


def discrete_case(dist_pmf, support):
    pmf = dist_pmf(support)
    pmf = pmf / pmf.sum()
    mean = float((support * pmf).sum())
    var = float(((support - mean) ** 2 * pmf).sum())
    return pmf, mean, var


def rounded(dist, support):
    """P(k) of a continuous law rounded to the nearest whole number: the mass of [k - 0.5, k + 0.5)."""
    return lambda k: dist.cdf(k + 0.5) - dist.cdf(k - 0.5)


def tail_rounded(dist):
    return lambda k: dist.sf(k - 0.5) - dist.sf(k + 0.5)


DISCRETE = [
    (
        '{ kind = "poisson", mean = 2, min = 30, max = 40 }',
        lambda k: np.exp(stats.poisson(2).logpmf(k) - stats.poisson(2).logpmf(30)),
        np.arange(30, 41),
    ),
    ('{ kind = "poisson", mean = 2, min = 3, max = 9 }', stats.poisson(2).pmf, np.arange(3, 10)),
    ('{ kind = "poisson", mean = 40, min = 10, max = 45 }', stats.poisson(40).pmf, np.arange(10, 46)),
    ('{ kind = "poisson", mean = 3, min = 1 }', stats.poisson(3).pmf, np.arange(1, 80)),
    ('{ kind = "zipf", exponent = 1.2, max = 50 }', lambda k: k**-1.2, np.arange(1, 51)),
    ('{ kind = "uniform", min = 3, max = 17, dtype = "int" }', lambda k: np.ones(len(k)), np.arange(3, 18)),
    (
        '{ kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }',
        rounded(stats.norm(35, 12), None),
        np.arange(18, 91),
    ),
    ('{ kind = "normal", mean = 0, std = 1, min = 6, max = 9, dtype = "int" }', tail_rounded(stats.norm(0, 1)), np.arange(6, 10)),
    (
        '{ kind = "exponential", scale = 3, min = 10.2, max = 20.7, dtype = "int" }',
        tail_rounded(stats.expon(scale=3)),
        np.arange(11, 21),
    ),
]


@pytest.mark.parametrize("spec,pmf_of,support", DISCRETE, ids=[c[0] for c in DISCRETE])
def test_integer_truncation_is_exact(spec, pmf_of, support):
    values = column({"x": spec}, "x", N).to_numpy()
    pmf, mean, var = discrete_case(pmf_of, support)
    assert abs(values.mean() - mean) < 5 * math.sqrt(var / N)
    assert chi_square_p(values, support, pmf) > P_MIN


def test_the_chi_square_rejects_the_old_poisson_fallback():
    support = np.arange(30, 41)
    pmf, mean, var = discrete_case(lambda k: np.exp(stats.poisson(2).logpmf(k) - stats.poisson(2).logpmf(30)), support)
    old = np.rint(np.random.default_rng(2).uniform(30, 40, N))
    assert abs(old.mean() - mean) > 5 * math.sqrt(var / N)
    assert chi_square_p(old, support, pmf) < P_MIN


def test_child_counts_follow_the_truncated_law():
    """A child entity's rows per parent: Poisson(2) truncated to 0..6, the count kind most presets use."""
    from designer import pipeline

    design = design_with(
        {"id": '{ kind = "sequence" }'},
        rows=N,
        extra="""
[entities.c]
parent = { entity = "t", count = { kind = "poisson", mean = 2, min = 1, max = 6 } }
[entities.c.fields]
t_id = { kind = "parent", field = "id" }
""",
    )
    counts = pipeline.generate(design, "c")["t_id"].value_counts()["count"].to_numpy()
    assert len(counts) == N  # every parent has at least one child (min = 1)
    support = np.arange(1, 7)
    pmf, mean, var = discrete_case(stats.poisson(2).pmf, support)
    assert abs(counts.mean() - mean) < 5 * math.sqrt(var / N)
    assert chi_square_p(counts, support, pmf) > P_MIN


@pytest.mark.parametrize(
    "spec,lo,hi",
    [
        ('{ kind = "normal", mean = 0, std = 1, min = 0.123, max = 0.5, decimals = 2 }', 0.123, 0.5),
        ('{ kind = "uniform", min = 0.001, max = 0.999, decimals = 1 }', 0.001, 0.999),
        ('{ kind = "lognormal", mean = 0, sigma = 1, min = 0.05, max = 2.349, decimals = 1 }', 0.05, 2.349),
        ('{ kind = "beta", a = 0.3, b = 0.3, min = 1.04, max = 1.96, decimals = 1 }', 1.04, 1.96),
        ('{ kind = "normal", mean = 0, std = 5, min = -2.5, max = 2.5, dtype = "int" }', -2.5, 2.5),
    ],
)
def test_rounding_stays_within_bounds(spec, lo, hi):
    values = column({"x": spec}, "x", N)
    assert values.min() >= lo and values.max() <= hi


def test_a_window_without_mass_is_refused_at_load(tmp_path):
    from click.testing import CliRunner

    from designer.cli import main

    path = tmp_path / "t.toml"
    path.write_text("""format = 1
[design]
name = "t"
[entities.t]
rows = 10
[entities.t.fields]
x = { kind = "normal", mean = 0, std = 1, min = 40, max = 41 }
""")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"{path}: entities.t.fields.x: normal(mean=0, std=1) has a probability of 10^-349.4 in [40, 41]")


@pytest.mark.parametrize(
    "spec",
    [
        '{ kind = "poisson", mean = 2, min = 400, max = 500 }',
        '{ kind = "gamma", shape = 2, scale = 1, min = 1000 }',
        '{ kind = "exponential", scale = 1, min = 800 }',
        '{ kind = "lognormal", mean = 0, sigma = 1, max = 1e-200 }',
    ],
)
def test_other_windows_without_mass_are_refused(spec):
    from designer.errors import PresetError

    with pytest.raises(PresetError, match="probability") as error:
        design_with({"x": spec})
    assert error.value.path == "entities.t.fields.x"


def test_a_count_window_without_mass_is_refused():
    from designer.errors import PresetError

    with pytest.raises(PresetError, match="poisson") as error:
        design_with(
            {"id": '{ kind = "sequence" }'},
            extra="""
[entities.c]
parent = { entity = "t", count = { kind = "poisson", mean = 1, min = 300 } }
[entities.c.fields]
t_id = { kind = "parent", field = "id" }
""",
        )
    assert error.value.path.startswith("entities.c")


def _in_a_small_address_space(code: str) -> subprocess.CompletedProcess:
    """Run `code` with 3 GiB of address space: a table of a huge Poisson's support (the old code
    built one of 7.6e7 entries for mean = 1e13, min = 1, and of 2.4e9 for 1e16) fails with MemoryError instead of taking
    the machine's 24 GiB."""
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
    return subprocess.run([sys.executable, "-c", limit + code], capture_output=True, text=True, timeout=120)


def test_a_huge_poisson_whose_window_holds_its_bulk_samples_untruncated_in_bounded_memory():
    result = _in_a_small_address_space("""
import numpy as np
from scipy import stats
from tests.engine.helpers import column
values = column({"x": '{ kind = "poisson", mean = 1e13, min = 1 }'}, "x", 20_000).to_numpy()
# at this mean the Poisson law is the normal N(mean, mean) to within 1e-7 in distribution
print(values.mean(), values.var(), stats.kstest((values - 1e13) / 1e13 ** 0.5, "norm").pvalue)
""")
    assert result.returncode == 0, result.stderr[-2000:]
    mean, var, p_value = map(float, result.stdout.split())
    assert p_value > P_MIN
    assert abs(mean - 1e13) < 5 * math.sqrt(1e13 / 20_000)  # Poisson: variance = mean
    assert 0.95e13 < var < 1.05e13


def test_bulk_windows_keep_the_exact_law():
    """A window holding every value of probability above e^-72 of the peak's: chi-square against
    scipy's untruncated Poisson, as the values cannot tell the truncation."""
    values = column({"x": '{ kind = "poisson", mean = 400, min = 0, max = 1000 }'}, "x", N).to_numpy()
    support = np.arange(values.min(), values.max() + 1)
    assert chi_square_p(values, support, stats.poisson(400).pmf(support)) > P_MIN
    assert abs(values.mean() - 400) < 5 * math.sqrt(400 / N)


@pytest.mark.parametrize("bounds", ["min = 1e13", "min = 1.000001e13", "min = 1e13, max = 1.00001e13"])
def test_a_huge_poisson_cut_inside_its_bulk_is_refused_at_load_in_bounded_memory(bounds):
    result = _in_a_small_address_space(f"""
from designer.errors import PresetError
from tests.engine.helpers import design_with
try:
    design_with({{"x": '{{ kind = "poisson", mean = 1e13, {bounds} }}'}})
except PresetError as error:
    print(error.path, "|", error)
""")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("entities.t.fields.x |") and "probabilities (at most 4,000,000)" in result.stdout


def test_a_poisson_mean_beyond_numpys_precision_is_refused():
    """numpy's sampler at mean 1e16 gives a variance 1.4 times the mean (measured): refused."""
    from designer.errors import PresetError

    with pytest.raises(PresetError, match="less than or equal to 10000000000000") as error:
        design_with({"x": '{ kind = "poisson", mean = 1e16 }'})
    assert error.value.path.startswith("entities.t.fields.x")


def test_row_estimates_of_a_huge_count_take_bounded_memory():
    """A unique reference's capacity check estimated a child's rows by summing the count's pmf over
    its whole support: 58 s and 6.3 GB for mean = 1e8. The estimate is now closed-form."""
    result = _in_a_small_address_space("""
from designer.errors import PresetError
from tests.engine.helpers import design_with
try:
    design_with({"id": '{ kind = "sequence" }'}, rows=1, extra='''
[entities.c]
parent = { entity = "t", count = { kind = "poisson", mean = 1e8 } }
[entities.c.fields]
r = { kind = "reference", entity = "t", unique = true }
''')
except PresetError as error:
    print(error.path, "|", error)
""")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("entities.c.fields.r |") and "100000000 rows here, t has 1" in result.stdout


def test_a_truncated_poisson_builds_its_table_once_for_all_blocks():
    """The table of a window is cached: three blocks of rows, one table (it was rebuilt per block
    while the cache sat on the wrong function)."""
    from designer.engine import BLOCK_ROWS
    from designer.model.laws import _poisson_table

    _poisson_table.cache_clear()
    values = column({"x": '{ kind = "poisson", mean = 37.5, min = 30, max = 45 }'}, "x", 3 * BLOCK_ROWS - 7)
    assert len(values) == 3 * BLOCK_ROWS - 7 and values.min() >= 30 and values.max() <= 45
    assert _poisson_table.cache_info().misses == 1 and _poisson_table.cache_info().hits >= 2
