"""Wide entities: planning and table specs do work linear in the field count (counted, not timed)."""

from __future__ import annotations

import random

import polars as pl

from designer import pipeline, presets
from designer.engine.plan import Plan
from designer.model.deps import all_fields


def _wide(n: int, chained: bool = False) -> str:
    lines = ["format = 1", "[entities.t]", "rows = 3", "[entities.t.fields]"]
    for i in range(n):
        if chained and i:
            lines.append(f'f{i} = {{ kind = "expression", expr = "f{i - 1} + 1" }}')
        else:
            lines.append(f'f{i} = {{ kind = "uniform", min = 0, max = {i + 1} }}')
    return "\n".join(lines) + "\n"


class CountingEdges(dict):
    """The plan's edge map, counting how often a field's inputs are looked up."""

    lookups = 0

    def __getitem__(self, key):
        CountingEdges.lookups += 1
        return super().__getitem__(key)


def _lookups_for(n: int, chained: bool) -> int:
    plan = Plan(presets.loads(_wide(n, chained)))
    plan.__dict__["edges"] = CountingEdges(plan.edges)
    CountingEdges.lookups = 0
    order = plan.field_order("t")
    assert len(order) == n
    plan.field_order("t")  # a second block asks again: served from the cache
    return CountingEdges.lookups


def test_field_order_looks_at_each_field_once():
    # the old order rescanned every field for each one placed: 4x the fields gave 16x the lookups
    for chained in (False, True):
        small, large = _lookups_for(500, chained), _lookups_for(2000, chained)
        assert small <= 500 and large <= 2000, (small, large)


def _reference_order(plan: Plan, root: str) -> list:
    """The order as it was first written: repeatedly the first field in design order whose inputs are placed."""
    nodes = [(e, f) for e in plan.family(root) for f in all_fields(plan.design, e)]
    inside, done, order = set(nodes), set(), []
    while len(order) < len(nodes):
        ready = next(n for n in nodes if n not in done and all(d in done or d not in inside for d in plan.edges[n]))
        order.append(ready)
        done.add(ready)
    return order


def test_field_order_is_the_stable_topological_order():
    rnd = random.Random(7)
    for _ in range(30):
        n = rnd.randint(2, 40)
        lines = ["format = 1", "[entities.t]", "rows = 2", "[entities.t.fields]"]
        for i in range(n):
            deps = rnd.sample(range(i), k=min(i, rnd.randint(0, 3)))
            lines.append(
                f'f{i} = {{ kind = "uniform" }}'
                if not deps
                else f'f{i} = {{ kind = "expression", expr = "{" + ".join(f"f{d}" for d in deps)}" }}'
            )
        # fields written before what they read, so the order differs from the file's
        text = "\n".join(lines[:4] + lines[4:][::-1]) + "\n"
        plan = Plan(presets.loads(text))
        assert plan.field_order("t") == _reference_order(plan, "t"), text


def test_table_specs_read_each_frame_schema_once(monkeypatch):
    calls = {"n": 0}
    original = pl.DataFrame.schema

    def counting(self):
        calls["n"] += 1
        return original.fget(self)

    monkeypatch.setattr(pl.DataFrame, "schema", property(counting))
    counts = []
    for n in (50, 200):
        design = presets.loads(_wide(n))
        shapes = {"t": pl.DataFrame({f"f{i}": [1.0] for i in range(n)})}
        calls["n"] = 0
        specs = pipeline.table_specs(pipeline.plan_for(design), shapes, ["t"])
        assert [c.name for c in specs[0].columns] == [f"f{i}" for i in range(n)]
        counts.append(calls["n"])
    assert counts[0] == counts[1] == 1, counts
