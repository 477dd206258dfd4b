"""Table specs for writers from a plan and a first block: types, keys, NOT NULL, UNIQUE, FOREIGN KEY."""

from __future__ import annotations

import dataclasses

import polars as pl

from .engine import Plan
from .model.deps import all_fields, specs_of, via_target
from .writers.base import ColumnSpec, TableSpec


def never_null(plan: Plan, entity: str, name: str, _seen: frozenset = frozenset()) -> bool:
    """Whether a field can be declared NOT NULL: only where no null can come out. Not where a
    null rate or a field named only in variants puts nulls, nor where a spec may give them itself
    (`may_be_null()`: an expression, an aggregate, a tree's roots, Faker's None), nor where any
    input may be null (a lookup through a nullable reference, a template over a nullable field).
    The same for the base and every override."""
    design = plan.design
    if (entity, name) in _seen:
        return False
    seen = _seen | {(entity, name)}
    ent = design.entities[entity]
    specs = specs_of(design, entity, name)
    if name not in ent.fields or any(s.null_rate or s.may_be_null() for s in specs):
        return False
    if (dirt := ent.fields[name].dirty) is not None and dirt.nulls:  # nulls on purpose
        return False
    if all(s.fills_every_row() for s in specs):  # a count is 0 for a row without children, never null
        return True
    return all(never_null(plan, e, f, seen) for e, f in plan.edges[(entity, name)])


def table_specs(plan: Plan, frames: dict[str, pl.DataFrame], entities: list[str]) -> list[TableSpec]:
    """One spec per exported entity, in load order, typed from a generated block."""
    design = plan.design
    exported = set(entities)
    specs = []
    for entity in [e for e in plan.load_order if e in exported]:
        ent = design.entities[entity]
        key = ent.key if ent.key and ent.fields.get(ent.key) and ent.fields[ent.key].export else None
        columns = []
        # once per entity, not per column: polars builds a frame's schema anew at each call,
        # which made a 4,000-column table take minutes
        fields, schema = all_fields(design, entity), frames[entity].schema
        for name, dtype in schema.items():
            spec = fields[name]
            columns.append(
                ColumnSpec(
                    name=name,
                    dtype=dtype,
                    nullable=not never_null(plan, entity, name),
                    unique=bool(getattr(ent.fields.get(name), "unique", False)) and name != key,
                    references=_foreign_key(plan, entity, spec, exported),
                    shape=_shape(design, entity, name) if dtype == pl.String else None,
                )
            )
        composite, together = _tuples(ent, set(schema))
        specs.append(
            TableSpec(name=entity, columns=tuple(columns), primary_key=key, composite_key=composite, unique_together=together)
        )
    return specs


def _tuples(ent, exported: set[str]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The composite key and the unique tuples whose columns are all exported (a tuple with a
    helper column left out cannot be declared)."""
    composite = ent.composite_key if ent.composite_key and set(ent.composite_key) <= exported else ()
    together = tuple(tuple(names) for names in ent.unique if set(names) <= exported)
    return composite, together


def _shape(design, entity: str, name: str) -> pl.DataType | None:
    """The nested shape of a Faker container field, when the base and every override give the same."""
    shapes = {s.json_shape() for s in specs_of(design, entity, name)}
    return shapes.pop() if len(shapes) == 1 else None


def _foreign_key(plan: Plan, entity: str, spec, exported: set[str]) -> tuple[str, str] | None:
    design = plan.design
    if (pointed := spec.foreign_key(design, entity)) is None:
        return None
    target, column = pointed
    if target not in exported:
        return None
    target_ent = design.entities[target]
    target_spec = target_ent.fields.get(column)
    # A foreign key must point at the primary key or a unique column that is exported.
    if target_spec is None or not target_spec.export:
        return None
    if column != target_ent.key and not target_spec.unique:
        return None
    return (target, column)


def written_names(design, specs: list[TableSpec]) -> list[TableSpec]:
    """The specs under the names the export writes: each entity's `table`, each field's `column`,
    in the primary key and the foreign keys too. `table_specs` keeps the design's names (the engine
    and the cluster's parts work with those); the writers see these."""

    def column(entity: str, name: str) -> str:
        return design.column_of(entity, name)

    out = []
    for spec in specs:
        entity = spec.name
        columns = tuple(
            dataclasses.replace(
                c,
                name=column(entity, c.name),
                references=(design.table_of(c.references[0]), column(*c.references)) if c.references else None,
            )
            for c in spec.columns
        )
        key = column(entity, spec.primary_key) if spec.primary_key else None
        composite = tuple(column(entity, n) for n in spec.composite_key)
        together = tuple(tuple(column(entity, n) for n in group) for group in spec.unique_together)
        out.append(
            dataclasses.replace(
                spec,
                name=design.table_of(entity),
                columns=columns,
                primary_key=key,
                composite_key=composite,
                unique_together=together,
            )
        )
    return out


def column_renames(design, entity: str) -> dict[str, str]:
    """Field name -> column name, for the exported fields of an entity whose column is not their name."""
    return {f: c for f, spec in all_fields(design, entity).items() if spec.export and (c := design.column_of(entity, f)) != f}


__all__ = ["table_specs", "never_null", "via_target", "written_names", "column_renames"]
