"""Nothing the engine caches keeps a finished run alive: not its Run, not its plan, not its design.

The TUI makes a run per edit and a long-lived process (the TUI, a notebook, a Dask worker) makes
many exports: a cache that holds a Run holds its materialized columns too. `@lru_cache` on a Run
method did exactly that (its key holds `self`). The tests go through the Run methods exports,
previews and samples use, and fail if one of them is cached on the class again; the last one
looks at every method of every class, whoever calls it.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from designer import pipeline, presets
from designer.engine import Run
from designer.engine.seeding import BLOCK_ROWS
from designer.errors import Cancelled
from designer.writers import Target

from .helpers import design_with

# Two root blocks (the drawing thread runs ahead of the writer), a child entity (counts, offsets),
# a reference (materialized columns), a unique field (state carried across blocks), mixed locales
# and a timeseries with anomalies (Run.draw's streams) and Faker providers (their vocabularies are
# cached by locale, never by design)
PRESET = f"""
format = 1
[design]
name = "t"
seed = 7
reference_time = 2025-06-01T00:00:00
locale = {{ en_US = 2, de_DE = 1 }}
[entities.t]
rows = {BLOCK_ROWS + 100}
[entities.t.fields]
id = {{ kind = "sequence" }}
code = {{ kind = "faker", provider = "bothify", args = {{ text = "??-####" }}, unique = true }}
name = {{ kind = "faker", provider = "first_name" }}
age = {{ kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }}
step = {{ kind = "series", start = "2025-01-01", step = "1h" }}
sig = {{ kind = "timeseries", time = "step", baseline = 100, daily = 0.3, noise = 2, anomaly_rate = 0.05 }}
[entities.c]
parent = {{ entity = "t", count = {{ kind = "poisson", mean = 1 }} }}
[entities.c.fields]
t_id = {{ kind = "parent", field = "id" }}
[entities.r]
rows = 50
[entities.r.fields]
id = {{ kind = "sequence" }}
t_id = {{ kind = "reference", entity = "t", field = "id" }}
"""


class Made:
    def __init__(self):
        self.runs: list[weakref.ref] = []
        self.plans: list[weakref.ref] = []


@pytest.fixture
def made(monkeypatch):
    """Weak references to every Run made while the test runs, in whichever module makes it, and to its plan."""
    made = Made()
    init = Run.__init__

    def recording(self, plan, *args, **kwargs):
        init(self, plan, *args, **kwargs)
        made.runs.append(weakref.ref(self))
        made.plans.append(weakref.ref(plan))

    monkeypatch.setattr(Run, "__init__", recording)
    return made


def _design():
    return presets.loads(PRESET)


def _alive(refs: list[weakref.ref]) -> list:
    gc.collect()
    return [obj for ref in refs if (obj := ref()) is not None]


def _check_freed(use, made) -> None:
    """Run `use(design)` on a fresh design, drop everything, and see the design and all its runs go."""
    design = _design()
    design_ref = weakref.ref(design)
    use(design)
    assert made.runs, "the call made no Run: the test no longer covers what it says"
    del design
    assert _alive(made.runs) == []
    assert _alive(made.plans) == []
    assert design_ref() is None, [type(r) for r in gc.get_referrers(design_ref())]


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "csv"])
def test_an_export_frees_its_runs_plan_and_design(made, tmp_path, fmt):
    location = tmp_path / ("out.sqlite" if fmt == "sqlite" else "out")
    _check_freed(lambda design: pipeline.export(design, Target(fmt, str(location))), made)


def test_a_cancelled_export_frees_them_too(made, tmp_path):
    """The exception's traceback holds the export's frames; once it is gone, so is the run."""

    def use(design):
        calls = iter(range(1_000))
        with pytest.raises(Cancelled):
            pipeline.export(design, Target("sqlite", str(tmp_path / "out.sqlite")), cancelled=lambda: next(calls) >= 2)

    _check_freed(use, made)


@pytest.mark.parametrize(
    "use",
    [
        lambda design: pipeline.preview(design, rows=5),
        lambda design: pipeline.sample(design, "c"),
        lambda design: pipeline.generate(design, "t"),
        lambda design: pipeline.tables(design),
    ],
    ids=["preview", "sample", "generate", "tables"],
)
def test_previews_and_samples_free_them(made, use):
    _check_freed(use, made)


def test_many_runs_do_not_pile_up(made):
    """The TUI's pattern: a sample per edit. Each edit's run is gone by the next one."""
    for _ in range(5):
        pipeline.sample(_design(), "t")
    assert len(made.runs) == 5
    assert _alive(made.runs) == []


def test_a_workers_runs_are_bounded():
    """A Dask worker keeps the current export's run (its materialized references) across parts,
    and at most two: the third export's run pushes out the first and its design."""
    from designer.cluster import dispatch

    saved = dict(dispatch._RUNS)
    dispatch._RUNS.clear()
    try:
        designs = [design_with({"id": '{ kind = "sequence" }'}, rows=10, seed=seed) for seed in (1, 2, 3)]
        refs = [weakref.ref(d) for d in designs]
        for key, design in zip(["a", "b", "c"], designs, strict=True):
            dispatch._run_for(key, pipeline.plan_for(design))
        del designs, design
        gc.collect()
        assert [ref() is None for ref in refs] == [True, False, False]
    finally:
        dispatch._RUNS.clear()
        dispatch._RUNS.update(saved)


def test_no_method_in_designer_is_cached_on_its_class():
    """The tests above cover the Run methods an export calls; this covers every method of every class,
    whoever calls it: a cache on the class keys on `self` and keeps each instance for good. (ruff's B019
    flags the decorator where it is written; this also sees one stacked under another decorator.)"""
    import importlib
    import inspect
    import pkgutil

    import designer

    cached = []
    for info in pkgutil.walk_packages(designer.__path__, "designer."):
        if info.name.endswith("__main__"):
            continue  # runs the command line when imported
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name, attr in vars(cls).items():
                function = inspect.unwrap(attr) if hasattr(attr, "cache_info") else None
                if function is not None and next(iter(inspect.signature(function).parameters), None) == "self":
                    cached.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert cached == []
