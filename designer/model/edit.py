"""Edits of a design as pure functions: each returns a new frozen Design.

The TUI builds every change with these; the loader's checks then decide whether
the new design may be shown as valid or saved.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .design import Design, Entity, Variant
from .kinds import Field

_FIELD: TypeAdapter[Field] = TypeAdapter(Field)


def make_field(data: dict[str, Any]) -> Field:
    """A field model from plain data (validated: raises pydantic's ValidationError)."""
    return _FIELD.validate_python(data)


def _with_entity(design: Design, name: str, entity: Entity) -> Design:
    entities = dict(design.entities)
    entities[name] = entity
    return design.model_copy(update={"entities": entities})


def set_field(design: Design, entity: str, name: str, spec: Field, *, before: str | None = None) -> Design:
    """Replace a field, or add it (at the end, or before another field)."""
    ent = design.entities[entity]
    fields = dict(ent.fields)
    if name in fields or before is None:
        fields[name] = spec
    else:
        order = list(fields)
        order.insert(order.index(before), name)
        fields = {n: (spec if n == name else fields[n]) for n in order}
    return _with_entity(design, entity, ent.model_copy(update={"fields": fields}))


def remove_field(design: Design, entity: str, name: str) -> Design:
    ent = design.entities[entity]
    fields = {n: f for n, f in ent.fields.items() if n != name}
    return _with_entity(design, entity, ent.model_copy(update={"fields": fields}))


def rename_field(design: Design, entity: str, old: str, new: str) -> Design:
    ent = design.entities[entity]
    fields = {(new if n == old else n): f for n, f in ent.fields.items()}
    return _with_entity(design, entity, ent.model_copy(update={"fields": fields}))


def move_field(design: Design, entity: str, name: str, offset: int) -> Design:
    ent = design.entities[entity]
    order = list(ent.fields)
    i = order.index(name)
    j = max(0, min(len(order) - 1, i + offset))
    order.insert(j, order.pop(i))
    return _with_entity(design, entity, ent.model_copy(update={"fields": {n: ent.fields[n] for n in order}}))


def set_entity(design: Design, name: str, entity: Entity) -> Design:
    return _with_entity(design, name, entity)


def remove_entity(design: Design, name: str) -> Design:
    entities = {n: e for n, e in design.entities.items() if n != name}
    return design.model_copy(update={"entities": entities})


def set_variant(design: Design, entity: str, name: str, variant: Variant) -> Design:
    """Replace a variant of an entity, or add it at the end."""
    ent = design.entities[entity]
    return _with_entity(design, entity, ent.model_copy(update={"variants": {**ent.variants, name: variant}}))


def remove_variant(design: Design, entity: str, name: str) -> Design:
    ent = design.entities[entity]
    variants = {n: v for n, v in ent.variants.items() if n != name}
    return _with_entity(design, entity, ent.model_copy(update={"variants": variants}))


def rename_variant(design: Design, entity: str, old: str, new: str) -> Design:
    ent = design.entities[entity]
    variants = {(new if n == old else n): v for n, v in ent.variants.items()}
    return _with_entity(design, entity, ent.model_copy(update={"variants": variants}))


def set_override(design: Design, entity: str, variant: str, name: str, spec: Field) -> Design:
    """Replace or add a variant's override of a field (a new name is a field only the variant has)."""
    old = design.entities[entity].variants[variant]
    return set_variant(design, entity, variant, old.model_copy(update={"fields": {**old.fields, name: spec}}))


def remove_override(design: Design, entity: str, variant: str, name: str) -> Design:
    old = design.entities[entity].variants[variant]
    fields = {n: f for n, f in old.fields.items() if n != name}
    return set_variant(design, entity, variant, old.model_copy(update={"fields": fields}))
