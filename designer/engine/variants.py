"""Which rows of a block take which variant: one uniform draw per row and group, so the variants of
a group take disjoint shares of the rows and groups combine independently. The same rows for the
entity's fields and for its children's counts (a variant's `children`)."""

from __future__ import annotations

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
