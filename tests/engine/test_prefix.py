"""A smaller run is a prefix of a larger one, for every kind, around the engine's block size.

`--rows`, `generate(rows=N)` and the preview change how many rows the last (partial) block has;
no row before it may change. The oracle is the larger run itself: its first rows must equal the
smaller run's rows, column by column, in the root varied, its children, and the other entities.
"""

from __future__ import annotations

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine import make_plan
from designer.engine.seeding import BLOCK_ROWS

BIG = 100_000
SIZES = (1, 999, 1000, BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS + 1)

# Every kind, at root and child level, with the options that draw more than once (truncation,
# dtype int, decimals, variants, edges, nulls, uniqueness by permutation, redraw and number).
ALL_KINDS = """
format = 1
[design]
name = "all"
seed = 11
locale = { en_US = 3, de_DE = 1 }
reference_time = 2025-06-01T00:00:00

[entities.r]
rows = 300
[entities.r.fields]
id    = { kind = "sequence" }
price = { kind = "uniform", min = 1, max = 100, decimals = 2 }

[entities.a]
rows = 1000
unique = [["t_x", "t_y"]]
[entities.a.fields]
t_x      = { kind = "uniform", min = 1, max = 1000, dtype = "int" }
t_y      = { kind = "uniform", min = 0, max = 999, dtype = "int" }
id       = { kind = "sequence", start = 5, step = 3 }
key      = { kind = "uuid" }
k        = { kind = "const", value = "K" }
first    = { kind = "faker", provider = "first_name" }
last     = { kind = "faker", provider = "last_name", null_rate = 0.1 }
pick     = { kind = "faker", provider = "pystr", args = { max_chars = 12 } }  # per row: no vectorized pystr
company  = { kind = "faker", provider = "company", pool = 40 }
code     = { kind = "faker", provider = "bothify", args = { text = "??-####" }, unique = true }
email    = { kind = "template", template = "{first}.{last}@x.org", transform = "lower", unique = true }
slug     = { kind = "template", template = "{first}", transform = "slug" }
role     = { kind = "choice", values = ["u", "p", "a"], weights = [7, 2, 1], edge_rate = 0.05 }
flag     = { kind = "bool", p = 0.3 }
u_int    = { kind = "uniform", min = 1, max = 10000000, dtype = "int", unique = true }
u_float  = { kind = "uniform", min = -5, max = 5 }
n_wide   = { kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }
n_tail   = { kind = "normal", mean = 0, std = 1, min = 2.5, max = 6, decimals = 3 }
n_free   = { kind = "normal", mean = 3, std = 2, edge_rate = 0.02 }
logn     = { kind = "lognormal", mean = 3.4, sigma = 1.0, min = 0.5, max = 25000, decimals = 2 }
expo     = { kind = "exponential", scale = 4, min = 20, max = 24 }
gam      = { kind = "gamma", shape = 2, scale = 3, min = 1, max = 30 }
bet      = { kind = "beta", a = 5, b = 2, min = 1, max = 5, decimals = 1 }
poi      = { kind = "poisson", mean = 2, min = 3, max = 9 }
poi_free = { kind = "poisson", mean = 40 }
zip      = { kind = "zipf", exponent = 1.2, max = 50 }
day      = { kind = "date", start = "-1y", end = "now" }
moment   = { kind = "datetime", start = "-2y", end = "now" }
after    = { kind = "datetime", start = "{moment}", end = "{moment} + 3d" }
due      = { kind = "date", start = "{moment} - 1d", end = "{day}" }
ref      = { kind = "reference", entity = "r", distribution = "zipf", exponent = 1.2 }
ref_u    = { kind = "reference", entity = "r" }
ref_w    = { kind = "reference", entity = "r", weight = "price", not_equal = "ref" }
ref_ne   = { kind = "reference", entity = "r", distribution = "zipf", not_equal = "ref_u" }
ref_price = { kind = "lookup", via = "ref", field = "price" }
twice    = { kind = "expression", expr = "u_float * 2" }
kids     = { kind = "aggregate", entity = "c", expr = "count(*)" }
level    = { kind = "uniform", min = 50, max = 150 }
[entities.a.variants.odd]
weight = 0.2
fields.flag  = { kind = "const", value = true }
fields.extra = { kind = "normal", mean = 0, std = 1, min = -3, max = -2.9 }
[entities.a.variants.busy]
weight = 0.3
group = "load"
children.c = { kind = "uniform", min = 4, max = 8 }
fields.flag = { kind = "const", value = false }

[entities.c]
parent = { entity = "a", count = { kind = "poisson", mean = 2, max = 6 } }
primary_key = ["a_id", "ref_d"]
unique = [["a_id", "ref_e"]]
[entities.c.fields]
a_id   = { kind = "parent", field = "id" }
ref_d  = { kind = "reference", entity = "r", distribution = "zipf", exponent = 1.2, distinct = "per_parent" }
ref_e  = { kind = "reference", entity = "r", distinct = "per_parent" }
at     = { kind = "series", start = "-30d", step = "1h", per_parent = true }
n      = { kind = "series", start = 1, step = 1 }
power  = { kind = "timeseries", time = "at", baseline = "level_of", daily = 0.3, noise = 2.5, anomaly_rate = 0.1, anomaly_scale = 6, decimals = 2 }
odd    = { kind = "anomaly", field = "power" }
level_of = { kind = "lookup", via = "a_id", field = "level", export = false }
a_ref  = { kind = "lookup", via = "a_id", field = "ref", export = false }
not_a  = { kind = "reference", entity = "r", not_equal = "a_ref" }
qty    = { kind = "normal", mean = 0, std = 1, min = 10, max = 11, decimals = 4 }
word   = { kind = "faker", provider = "word" }
tag    = { kind = "template", template = "{word}-{n}", unique = true }

[entities.g]
parent = { entity = "c", count = { kind = "uniform", min = 0, max = 3 } }
[entities.g.fields]
c_n  = { kind = "parent", field = "n" }
z    = { kind = "zipf", exponent = 2, max = 9 }
h    = { kind = "normal", mean = 0, std = 1, min = -1, max = 0.5, dtype = "int" }
"""


def _tables(design, root: str, rows: int) -> dict[str, pl.DataFrame]:
    return {e: pipeline.generate(design, e, rows={root: rows}) for e in design.entities}


def _assert_prefix(small: dict[str, pl.DataFrame], big: dict[str, pl.DataFrame], label: str) -> None:
    for entity, part in small.items():
        head = big[entity].head(part.height)
        assert part.height <= big[entity].height, (label, entity)
        for name in part.columns:
            assert part[name].equals(head[name], null_equal=True), f"{label}: {entity}.{name} changed"


@pytest.fixture(scope="module")
def design():
    return presets.loads(ALL_KINDS)


@pytest.fixture(scope="module")
def big(design):
    return _tables(design, "a", BIG)


@pytest.mark.parametrize("rows", SIZES)
def test_every_kind_is_a_prefix_of_a_larger_run(design, big, rows):
    _assert_prefix(_tables(design, "a", rows), big, f"rows={rows}")


def test_the_preview_is_a_prefix_of_a_larger_run(design, big):
    _assert_prefix(pipeline.preview(design, None, 25), big, "preview")


def test_the_fixture_covers_every_kind_and_path(design):
    from designer.engine.fakers import path_of
    from designer.engine.kinds import KINDS

    used = {s.kind for e in design.entities.values() for s in e.fields.values()}
    used |= {s.kind for e in design.entities.values() for v in e.variants.values() for s in v.fields.values()}
    assert used == set(KINDS)
    paths = {path_of(s.provider, s.args) for s in design.entities["a"].fields.values() if s.kind == "faker"}
    assert paths == {"vectorized", "per-row"}


def test_the_old_redraw_loop_was_not_a_prefix():
    """The check can fail: truncation by redrawing the values outside, as the engine did, changes
    the first rows when the block grows."""
    import numpy as np

    def redrawn(n):
        rng = np.random.default_rng(3)
        values = rng.normal(0, 1, n)
        for _ in range(200):
            outside = np.flatnonzero((values < 1) | (values > 3))
            if not len(outside):
                break
            values[outside] = rng.normal(0, 1, len(outside))
        return values

    assert not np.array_equal(redrawn(1000), redrawn(5000)[:1000])


def _shipped():
    import pathlib

    return sorted(pathlib.Path(__file__).resolve().parents[2].joinpath("presets").glob("*.toml"))


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.stem)
def test_shipped_presets_are_prefixes(path):
    """Each root varied alone (its family compared), up to just past a block, as far as the
    preset's unique fields allow; iot's readings (720 a sensor) keep its sizes small."""
    design = presets.load(path)
    plan = make_plan(design)
    for root in plan.roots:
        fanout = max(1, pipeline.generate(design, plan.family(root)[-1]).height // max(1, design.entities[root].rows))
        top = min(BLOCK_ROWS + 2, _capacity(design, root), max(3, 400_000 // fanout))
        if top < 2:
            continue
        sizes = sorted({s for s in (1, top // 2, top - 1) + SIZES if s < top})
        big = {e: pipeline.generate(design, e, rows={root: top}) for e in plan.family(root)}
        for rows in sizes:
            small = {e: pipeline.generate(design, e, rows={root: rows}) for e in plan.family(root)}
            _assert_prefix(small, big, f"{path.stem} {root} rows={rows}")


def _capacity(design, root: str) -> int:
    """The largest row count of `root` its unique fields allow."""
    from designer.errors import PresetError

    lo, hi = 1, BLOCK_ROWS + 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            make_plan(design, rows={root: mid})
            lo = mid
        except PresetError:
            hi = mid - 1
    return lo
