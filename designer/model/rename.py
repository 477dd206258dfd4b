"""Renaming a field or an entity together with everything that names it, as one new Design.

Each kind says where it names a field or an entity (`with_field_renamed`, `with_other_field_renamed`,
`with_entity_renamed`: templates, expressions and aggregates through sqlglot's tokenizer so the
user's text keeps its layout, lookups, parent fields, references, timeseries, anomalies); here are
primary_key, parent links, counts that read a parent field and the variants' overrides. A rename onto a taken name or a name the
loader refuses is refused, never merged.
"""

from __future__ import annotations

from .counts import FieldCount
from .deps import all_fields
from .design import Design, name_problem
from .sqlsafe import rename_in_sql

__all__ = ["rename_entity", "rename_field", "rename_in_sql", "rename_problem"]


def rename_problem(design: Design, entity: str | None, old: str, new: str) -> str | None:
    """Why `old` may not become `new` (a field of `entity`, or an entity when `entity` is None)."""
    if (why := name_problem(new, entity=entity is None)) is not None:
        return why
    taken = design.entities if entity is None else all_fields(design, entity)
    # names are compared without case, as SQLite compares table and column names
    clash = next((t for t in taken if t.lower() == new.lower() and t != old), None)
    if clash is not None:
        return f'{"an entity" if entity is None else "a field of " + entity} is named "{clash}" already'
    return None


def _map_specs(design: Design, change) -> Design:
    """Every spec of every entity and variant through change(entity_name, spec)."""
    entities = {}
    for name, ent in design.entities.items():
        fields = {n: change(name, f) for n, f in ent.fields.items()}
        variants = {
            v: var.model_copy(update={"fields": {n: change(name, f) for n, f in var.fields.items()}})
            for v, var in ent.variants.items()
        }
        entities[name] = ent.model_copy(update={"fields": fields, "variants": variants})
    return design.model_copy(update={"entities": entities})


def rename_field(design: Design, entity: str, old: str, new: str) -> Design:
    """Field `old` of `entity` named `new`, with every reference to it; the caller checked the name."""

    def change(here: str, spec):
        spec = spec.with_other_field_renamed(design, here, entity, old, new)  # first: it reads `via` by its old name
        return spec.with_field_renamed(old, new) if here == entity else spec

    design = _map_specs(design, change)
    ent = design.entities[entity]
    key = lambda n: new if n == old else n  # noqa: E731
    variants = {
        v: var.model_copy(update={"fields": {key(n): f for n, f in var.fields.items()}}) for v, var in ent.variants.items()
    }
    reads = lambda count: isinstance(count, FieldCount) and count.field == old  # noqa: E731  # a count of children
    if any(reads(c) for var in variants.values() for c in var.children.values()):
        variants = {
            v: var.model_copy(update={"children": {c: FieldCount(field=new) if reads(k) else k for c, k in var.children.items()}})
            for v, var in variants.items()
        }
    update = {"fields": {key(n): f for n, f in ent.fields.items()}, "variants": variants}
    if ent.primary_key == old:
        update["primary_key"] = new
    if isinstance(ent.primary_key, list) and old in ent.primary_key:
        update["primary_key"] = [key(n) for n in ent.primary_key]
    if any(old in names for names in ent.unique):
        update["unique"] = [[key(n) for n in names] for names in ent.unique]
    entities = {**design.entities, entity: ent.model_copy(update=update)}
    for child in design.children_of(entity):
        link = entities[child].parent
        if link is not None and reads(link.count):
            parent = link.model_copy(update={"count": FieldCount(field=new)})
            entities[child] = entities[child].model_copy(update={"parent": parent})
    return design.model_copy(update={"entities": entities})


def rename_entity(design: Design, old: str, new: str) -> Design:
    """Entity `old` named `new` (in place: the order of entities is kept), with every reference."""

    def change(_here: str, spec):
        return spec.with_entity_renamed(old, new)

    design = _map_specs(design, change)
    entities = {}
    for name, ent in design.entities.items():
        if ent.parent is not None and ent.parent.entity == old:
            ent = ent.model_copy(update={"parent": ent.parent.model_copy(update={"entity": new})})
        if any(old in v.children for v in ent.variants.values()):  # a variant's count of the renamed child
            variants = {
                vname: v.model_copy(update={"children": {(new if c == old else c): k for c, k in v.children.items()}})
                for vname, v in ent.variants.items()
            }
            ent = ent.model_copy(update={"variants": variants})
        entities[new if name == old else name] = ent
    return design.model_copy(update={"entities": entities})
