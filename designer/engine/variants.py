"""Which rows of a block take which variant: one uniform draw per row and group, so the variants of
a group take disjoint shares of the rows and groups combine independently. The same rows for the
entity's fields and for its children's counts (a variant's `children`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np


def variant_members(run, entity: str, index: int, n: int) -> list[np.ndarray]:
    """Per variant of `entity`, in file order: a mask of the n rows of block `index` that take it."""
    ent = run.plan.design.entities[entity]
    members: dict[str, np.ndarray] = {}
    for group, names in ent.variant_groups().items():
        # the ungrouped variants keep the stream they always had: designs without groups draw as before
        stream = "__variant__" if group is None else f"__variant__:{group}"
        edges = np.cumsum([ent.variants[v].weight for v in names])
        which = np.searchsorted(edges, run.draw(entity, stream, index, "").random(n), side="right")
        members.update({v: which == i for i, v in enumerate(names)})
    return [members[v] for v in ent.variants]


def overrides(variants: dict, members: list[np.ndarray], get: Callable[[Any], Any]) -> Iterator[tuple[str, np.ndarray, Any]]:
    """(variant, its rows, what it overrides) for each variant of `variants` that `get` finds an
    override in, in file order: applied in this order, a row in variants of two groups takes the
    later one's (the one rule for fields and for counts of children)."""
    for in_variant, (vname, variant) in zip(members, variants.items(), strict=True):
        if (spec := get(variant)) is not None:
            yield vname, in_variant, spec
