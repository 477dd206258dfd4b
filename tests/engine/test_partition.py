"""A partition (a range of a root's blocks with all descendants) is exactly that slice of the
single-process run, cross-block uniqueness included, whatever the partitioning."""

from __future__ import annotations

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine import BLOCK_ROWS, Run, make_plan
from designer.engine.partition import Part, Patch, UniquePass, draw_inputs, part_frames, part_rows, partition, plan_parts

from ..conftest import PRESETS
from .test_workers import UNIQUE_TEXT


def _whole(design, rows=None) -> dict[str, pl.DataFrame]:
    return {e: pipeline.generate(design, e, rows=rows) for e in design.entities}


@pytest.mark.parametrize("cuts", [[0, 1, 2, 3, 4], [0, 3, 4], [0, 4]])
def test_partitions_concatenate_to_the_single_run_with_stateful_unique_fields(cuts):
    design = presets.loads(UNIQUE_TEXT)  # 4 blocks; email numbered across blocks, handle computed from it
    whole = _whole(design)
    parts = [partition(design, None, "visits", range(a, b)) for a, b in zip(cuts, cuts[1:], strict=False)]
    for entity in ("people", "visits"):
        assert pl.concat([p[entity] for p in parts]).equals(whole[entity]), entity
    assert whole["people"]["email"].n_unique() == whole["people"].height
    assert parts[-1]["people"]["email"].str.contains(r"\d@").any()  # the last part was numbered across blocks


def test_ecommerce_partition_in_the_middle_equals_that_slice():
    design = presets.load(PRESETS / "ecommerce.toml")
    rows = {"users": 3 * BLOCK_ROWS + 11, "products": 250}
    run = Run(make_plan(design, rows=rows))
    whole = _whole(design, rows)
    middle = partition(design, None, "order_items", range(1, 3), rows=rows)
    assert set(middle) == {"users", "orders", "order_items"}
    for entity, frame in middle.items():
        start = run.offset(entity, 1)
        assert frame.equals(whole[entity].slice(start, frame.height)), entity
        assert frame.height == sum(run.block_rows(entity, b) for b in (1, 2))


def test_seed_reaches_the_partition():
    design = presets.load(PRESETS / "ecommerce.toml")
    a = partition(design, 1, "users", range(0, 1), rows={"users": 50})["users"]
    b = partition(design, 2, "users", range(0, 1), rows={"users": 50})["users"]
    assert a.equals(pipeline.generate(design, "users", rows={"users": 50}, seed=1))
    assert not a.equals(b)


def test_parts_cover_every_block_once_and_depend_on_rows_only():
    design = presets.loads(UNIQUE_TEXT)
    for rows, per in [(BLOCK_ROWS * 5, 1), (BLOCK_ROWS * 200, 3), (BLOCK_ROWS * 5000, 16)]:
        run = Run(make_plan(design, rows={"people": rows}))
        parts = plan_parts(run, "people")
        assert [b for p in parts for b in p.blocks] == list(range(run.blocks("people")))
        assert parts[0].stop - parts[0].start == per
        assert [p.number for p in parts] == list(range(len(parts)))


def test_patches_from_a_pass_fed_out_of_process_give_the_same_rows():
    """What the cluster does: inputs drawn by one run, finished by the pass, replayed by a third."""
    design = presets.loads(UNIQUE_TEXT)
    plan = make_plan(design)
    drawer, writer, unique = Run(plan), Run(plan), UniquePass(plan)
    patches = {}
    for index in range(drawer.blocks("people")):
        patches.update(unique.feed("people", draw_inputs(drawer, "people", index)))
    changed = sum(len(p.rows) for p in patches.values())
    assert 0 < changed < plan.design.entities["people"].rows  # patches carry the changed rows only
    part = Part("people", 0, 2, 4)  # the last two blocks, without the first two ever being generated here
    frames = list(part_frames(writer, part, patches))
    whole = _whole(design)
    got = pl.concat([f["people"] for f in frames])
    assert got.equals(whole["people"].slice(2 * BLOCK_ROWS, got.height))
    assert part_rows(writer, part)["people"] == got.height
    assert writer.unique.patches == {}  # a part's patches are dropped once it is written


def test_pass_refuses_blocks_out_of_order():
    plan = make_plan(presets.loads(UNIQUE_TEXT))
    unique = UniquePass(plan)
    with pytest.raises(RuntimeError, match="expected 0"):
        unique.feed("people", draw_inputs(Run(plan), "people", 1))


def test_patch_keeps_nulls_and_leaves_its_input_alone():
    before = pl.Series("e", ["a", None, "a", "b"])
    after = pl.Series("e", ["a", None, "a2", "b"])
    patch = Patch.between(before, after)
    assert patch.rows.tolist() == [2]
    assert patch.apply(before).equals(after)
    assert before.to_list() == ["a", None, "a", "b"]
    whole = Patch.between(before, after.cast(pl.Categorical))
    assert whole.rows is None and whole.apply(before).equals(after.cast(pl.Categorical))


NULLABLE_UNIQUE = f"""
format = 1
[design]
name = "n"
seed = 4
[entities.people]
rows = {2 * BLOCK_ROWS + 9}
[entities.people.fields]
first = {{ kind = "choice", values = ["Ann", "Bob", "Cy"] }}
email = {{ kind = "template", template = "{{first}}@x.org", transform = "lower", unique = true, null_rate = 0.2 }}
handle = {{ kind = "template", template = "@{{email}}" }}
"""


def test_a_unique_field_with_nulls_has_its_dependents_follow_it_in_the_run_and_in_partitions():
    design = presets.loads(NULLABLE_UNIQUE)
    whole = _whole(design)["people"]
    known = whole.filter(whole["email"].is_not_null())
    assert known["email"].n_unique() == known.height and known["email"].str.contains(r"\d@").any()
    assert (known["handle"] == "@" + known["email"]).all()  # recomputed after numbering, nulls or not
    parts = [partition(design, None, "people", range(b, b + 1))["people"] for b in range(3)]
    assert pl.concat(parts).equals(whole)
