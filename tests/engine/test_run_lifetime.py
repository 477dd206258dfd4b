"""A Run is freed once dropped: the TUI builds one per edit, with its materialized columns."""

from __future__ import annotations

import gc
import weakref

from designer import pipeline

from .helpers import design_with


def test_a_dropped_run_is_collected():
    from designer.engine import Run

    design = design_with({"id": '{ kind = "sequence" }'}, rows=10)
    run = Run(pipeline.plan_for(design))
    run.total_rows("t")
    run.offset("t", 0)
    ref = weakref.ref(run)
    del run
    gc.collect()
    assert ref() is None


def test_a_dropped_run_with_children_is_collected():
    """Child entities go through the offsets cache (a class-level lru_cache kept every Run)."""
    from designer.engine import Run

    design = design_with(
        {"id": '{ kind = "sequence" }'},
        rows=10,
        extra="""
[entities.c]
parent = { entity = "t", count = { kind = "uniform", min = 1, max = 3 } }
[entities.c.fields]
t_id = { kind = "parent", field = "id" }
""",
    )
    run = Run(pipeline.plan_for(design))
    assert run.total_rows("c") >= 10
    ref = weakref.ref(run)
    del run
    gc.collect()
    assert ref() is None
