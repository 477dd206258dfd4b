"""How many rows an entity will have, from its parents' rows and its count per parent (each
count kind says its range and mean: `count_range()`, `count_mean()`).

Used before generation, to refuse a `unique` field whose domain is too small instead of retrying
for ever, and to hold a design to the row ceiling.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # design.py imports limits.py, which reads the counts here
    from .design import Design


def expected_rows(design: Design, entity: str) -> int | None:
    """Rows an entity is sure to have: its rows, or for children at least parents x min count."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = expected_rows(design, ent.parent.entity)
    if parent_rows is None:
        return None
    return parent_rows * ent.parent.count.count_range()[0]


def most_per_parent(count) -> float:
    """The largest count a parent row can draw: its bound, else where its draws reach (zipf has no
    `reach`: its `max` bounds it)."""
    hi = count.count_range()[1]
    return float(hi) if hi is not None else count.reach()[1]


def rows_estimate(design: Design, entity: str, at_most: bool = False) -> int | None:
    """Rows an entity will have: a root's rows; a child's parent rows times the mean count, or with
    `at_most` times the largest count where the count distribution bounds it."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = rows_estimate(design, ent.parent.entity, at_most)
    if parent_rows is None:
        return None
    hi = ent.parent.count.count_range()[1]
    per_parent = hi if at_most and hi is not None else ent.parent.count.count_mean()
    return math.ceil(parent_rows * per_parent)
