"""How many rows an entity will have, from its parents' rows and its count per parent (each
count kind says its range and mean: `count_range()`, `count_mean()`).

Used before generation, to refuse a `unique` field whose domain is too small instead of retrying
for ever, and to hold a design to the row ceiling.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .counts import FieldCount, FieldCountView
from .deps import specs_of

if TYPE_CHECKING:  # design.py imports limits.py, which reads the counts here
    from .design import Design


def count_view(design: Design, child: str, count: Any) -> Any:
    """A count as the helpers here read it: a distribution itself, a parent field's count through
    the field's specs (range, mean, reach)."""
    if isinstance(count, FieldCount):
        parent = design.entities[child].parent
        assert parent is not None, f"{child} is a root entity"
        own = specs_of(design, parent.entity, count.field)
        return FieldCountView(count, tuple(own), tuple(_values_of(design, parent.entity, count.field)))
    return count


def _values_of(design: Design, entity: str, name: str, depth: int = 0) -> list[Any]:
    """The specs a field's values are drawn by: its own, or through a lookup the looked-up field's."""
    out = []
    for spec in specs_of(design, entity, name):
        source = spec.copied_from(design, entity) if depth < 8 else None
        out += (_values_of(design, source[0], source[1], depth + 1) if source is not None else []) or [spec]
    return out


def child_counts(design: Design, entity: str) -> list[tuple[float, Any]]:
    """The count distributions a child entity's rows come from, each with about the share of the
    parent's rows that draw from it: the parent link's, and each parent variant's `children`."""
    link = design.entities[entity].parent
    assert link is not None, f"{entity} is a root entity"
    variants = design.entities[link.entity].variants.values()
    overrides = [(v.weight, count_view(design, entity, v.children[entity])) for v in variants if entity in v.children]
    return [(max(0.0, 1 - sum(w for w, _ in overrides)), count_view(design, entity, link.count)), *overrides]


def mean_per_parent(design: Design, entity: str) -> float:
    """About how many rows of a child entity a parent row has, over the parent's variants."""
    return sum(share * count.count_mean() for share, count in child_counts(design, entity))


def fewest_per_parent(design: Design, entity: str) -> int:
    return min(count.count_range()[0] for _, count in child_counts(design, entity))


def bound_per_parent(design: Design, entity: str) -> int | None:
    """The largest count any parent row can draw where every count is bounded, else None."""
    highs = [count.count_range()[1] for _, count in child_counts(design, entity)]
    return None if any(h is None for h in highs) else max(h for h in highs if h is not None)


def expected_rows(design: Design, entity: str) -> int | None:
    """Rows an entity is sure to have: its rows, or for children at least parents x min count."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = expected_rows(design, ent.parent.entity)
    if parent_rows is None:
        return None
    return parent_rows * fewest_per_parent(design, entity)


def most_per_parent(count) -> float:
    """The largest count a parent row can draw: its bound, else where its draws reach (zipf has no
    `reach`: its `max` bounds it)."""
    hi = count.count_range()[1]
    return float(hi) if hi is not None else count.reach()[1]


def most_of_child(design: Design, entity: str) -> float:
    """The largest count any parent row can draw for this child, over the parent's variants."""
    return max(most_per_parent(count) for _, count in child_counts(design, entity))


def rows_estimate(design: Design, entity: str, at_most: bool = False) -> int | None:
    """Rows an entity will have: a root's rows; a child's parent rows times the mean count, or with
    `at_most` times the largest count where the count distribution bounds it."""
    ent = design.entities[entity]
    if ent.parent is None:
        return ent.rows
    parent_rows = rows_estimate(design, ent.parent.entity, at_most)
    if parent_rows is None:
        return None
    hi = bound_per_parent(design, entity)
    per_parent = hi if at_most and hi is not None else mean_per_parent(design, entity)
    return math.ceil(parent_rows * per_parent)
