"""How a composite key or a unique tuple is made distinct by construction (never by retrying):

- "field": one of its fields is distinct on its own (unique = true, a sequence or uuid, the single key);
- "parent": a parent field copying a distinct field of the parent (its key, a unique field) with
  a field distinct within each parent row (a reference with distinct = "per_parent", a series
  with per_parent = true);
- "product": every field has a finite domain that a permutation can deal (whole numbers in a
  range, decimals between bounds, dates, zipf ranks): row r takes the r-th index of a seeded
  permutation of the product domain, read as digits of a mixed radix, one digit per field.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .design import Design

Built = Literal["field", "parent", "product"]


def copies_parent_key(design: Design, entity: str, spec) -> bool:
    """A parent field copying a field that is distinct over the parent's rows (its key, a unique field)."""
    ent = design.entities[entity]
    pfield = spec.parent_field()
    if pfield is None or ent.parent is None or ent.parent.entity not in design.entities:
        return False
    parent = design.entities[ent.parent.entity]
    pspec = parent.fields.get(pfield)
    return pspec is not None and (pfield == parent.key or pspec.unique or pspec.keys)


def how_built(design: Design, entity: str, names: tuple[str, ...]) -> Built | None:
    ent = design.entities[entity]
    specs = {f: ent.fields[f] for f in names if f in ent.fields}
    if any(f == ent.key or spec.unique or spec.keys for f, spec in specs.items()):
        return "field"
    parents = [f for f, spec in specs.items() if copies_parent_key(design, entity, spec)]
    if parents and any(spec.distinct_per_parent() for f, spec in specs.items() if f not in parents):
        return "parent"
    if len(specs) == len(names) and all(spec.permutable and spec.domain_size(design) for spec in specs.values()):
        return "product"
    return None


def product_size(design: Design, entity: str, names: tuple[str, ...]) -> tuple[int, list[int]]:
    sizes = [int(design.entities[entity].fields[f].domain_size(design) or 0) for f in names]
    return math.prod(sizes), sizes


def product_digit(design: Design, entity: str, field: str) -> tuple[tuple[str, ...], int] | None:
    """For a field of a tuple built as a product: the tuple and the field's place in it."""
    ent = design.entities[entity]
    for names in ent.unique_tuples:
        if field in names and how_built(design, entity, names) == "product":
            return names, names.index(field)
    return None
