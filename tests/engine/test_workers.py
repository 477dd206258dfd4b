"""Blocks drawn by a background thread or spread over worker processes give exactly the rows of
the plain loop, one block after another in one thread."""

from __future__ import annotations

import polars as pl

from designer import presets
from designer.engine import BLOCK_ROWS, Run, make_plan
from designer.pipeline import entity_blocks

from .test_relationships import SHOP

UNIQUE_TEXT = f"""
format = 1
[design]
name = "u"
seed = 4
[entities.people]
rows = {3 * BLOCK_ROWS + 17}
[entities.people.fields]
id = {{ kind = "sequence" }}
first = {{ kind = "choice", values = ["Ann", "Bob", "Cy", "Dee"] }}
last = {{ kind = "choice", values = ["Lee", "Ng", "Oh"] }}
email = {{ kind = "template", template = "{{first}}.{{last}}@x.org", transform = "lower", unique = true }}
handle = {{ kind = "template", template = "@{{email}}" }}
[entities.visits]
parent = {{ entity = "people", count = {{ kind = "poisson", mean = 1.5 }} }}
[entities.visits.fields]
who = {{ kind = "parent", field = "email" }}
"""


def _collect(text: str, workers: int) -> dict[str, pl.DataFrame]:
    run = Run(make_plan(presets.loads(text)))
    parts: dict[str, list[pl.DataFrame]] = {}
    for entity, frame in entity_blocks(run, workers=workers):
        parts.setdefault(entity, []).append(frame)
    return {e: pl.concat(p) for e, p in parts.items()}


def test_two_workers_equal_one_with_relationships():
    one, two = _collect(SHOP, 1), _collect(SHOP, 2)
    assert one.keys() == two.keys()
    for entity in one:
        assert one[entity].equals(two[entity]), entity


def test_two_workers_equal_one_with_cross_block_uniqueness_and_its_dependents():
    one, two = _collect(UNIQUE_TEXT, 1), _collect(UNIQUE_TEXT, 2)
    people = two["people"]
    assert people["email"].n_unique() == people.height
    assert (people["handle"] == "@" + people["email"]).all()  # recomputed after de-duplication
    assert two["visits"]["who"].is_in(people["email"].implode()).all()
    for entity in one:
        assert one[entity].equals(two[entity]), entity


def _one_thread(text: str) -> dict[str, pl.DataFrame]:
    run = Run(make_plan(presets.loads(text)))
    parts: dict[str, list[pl.DataFrame]] = {}
    for root in dict.fromkeys(run.plan.root_of(e) for e in run.plan.load_order):
        for index in range(run.blocks(root)):
            for entity, frame in run.frames(run.family_block(root, index)).items():
                parts.setdefault(entity, []).append(frame)
    return {e: pl.concat(p) for e, p in parts.items()}


def test_the_background_drawing_thread_gives_the_plain_loops_rows():
    plain, piped = _one_thread(UNIQUE_TEXT), _collect(UNIQUE_TEXT, 1)
    assert plain.keys() == piped.keys()
    assert plain["people"].height == 3 * BLOCK_ROWS + 17
    for entity in plain:
        assert plain[entity].equals(piped[entity]), entity


def test_two_workers_equal_one_with_references_distinct_per_parent_and_tuples_of_domains():
    from .test_composite_keys import junction

    text = junction(playlists=2 * BLOCK_ROWS + 5, tracks=30, most=12, options=', distribution = "zipf"')
    text += f"""
[entities.slots]
rows = {2 * BLOCK_ROWS + 9}
unique = [["a", "b"]]
[entities.slots.fields]
a = {{ kind = "uniform", min = 1, max = 300, dtype = "int" }}
b = {{ kind = "uniform", min = 1, max = 300, dtype = "int" }}
"""
    one, two = _collect(text, 1), _collect(text, 2)
    assert one["playlist_track"].height > 2 * BLOCK_ROWS
    for entity in one:
        assert one[entity].equals(two[entity]), entity
