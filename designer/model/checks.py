"""Checks that need the whole design: names that must exist, circles, capacity, providers.

Each check raises PresetError with the key path of the offending value, so a
user reads `entities.orders.fields.total: expression names "subtotl"; did you mean "subtotal"?`.
"""

from __future__ import annotations

from typing import NoReturn

from ..errors import PresetError, did_you_mean
from .counts import FieldCount
from .deps import all_fields, find_cycle, graph, specs_of
from .design import FORMAT_VERSION, Design
from .domains import expected_rows, rows_estimate
from .kinds import COUNT_KINDS
from .limits import check_limits
from .providers import available_locales
from .tuples import copies_parent_key, how_built, product_size


def check_design(design: Design) -> None:
    """Raise PresetError for the first problem found, in file order."""
    if design.format > FORMAT_VERSION:
        raise PresetError(
            f"format {design.format} is newer than this designer understands ({FORMAT_VERSION}); upgrade designer",
            path="format",
        )
    _check_locale(design.info.locale, "design.locale")
    for name, entity in design.entities.items():
        _check_entity(design, name, entity)
        _check_columns(design, name, entity)
    _check_tables(design)
    _check_cycles(design)
    _check_field_counts_read_no_children(design)
    check_limits(design)  # after the circles: it follows parents to count rows
    for name in design.entities:
        _check_unique_capacity(design, name)


def _missing(kind: str, name: str, choices, path: str) -> PresetError:
    return PresetError(f'unknown {kind} "{name}"{did_you_mean(name, choices)}', path=path)


def _check_locale(locale, path: str) -> None:
    if locale is None:
        return
    names = [locale] if isinstance(locale, str) else list(locale)
    for name in names:
        if name not in available_locales():
            raise _missing("locale", name, available_locales(), path)
    if isinstance(locale, dict) and any(w <= 0 for w in locale.values()):
        raise PresetError("locale weights must all be positive", path=path)


def _check_entity(design: Design, name: str, entity) -> None:
    where = f"entities.{name}"
    if entity.parent is not None:
        parent = entity.parent.entity
        if parent not in design.entities:
            raise _missing("entity", parent, design.entities, f"{where}.parent.entity")
        if parent == name:
            raise PresetError("an entity cannot be its own parent", path=f"{where}.parent.entity")
        _check_count(design, name, entity.parent.count, f"{where}.parent.count")
    elif entity.rows is None:
        raise PresetError("a root entity needs rows (or a parent)", path=where)
    fields = all_fields(design, name)
    if isinstance(entity.primary_key, str) and entity.primary_key not in fields:
        raise _missing("field", entity.primary_key, fields, f"{where}.primary_key")
    _check_tuple_names(design, name, entity)
    _check_key_not_null(design, name, entity)
    _check_unique_edges(name, entity)
    _check_unique_tuples(design, name, entity)
    for fname, spec in entity.fields.items():
        _check_field(design, name, spec, f"{where}.fields.{fname}")
    for vname, variant in entity.variants.items():
        for fname, spec in variant.fields.items():
            _check_field(design, name, spec, f"{where}.variants.{vname}.fields.{fname}")
        children = design.children_of(name)
        for child, count in variant.children.items():
            path = f"{where}.variants.{vname}.children.{child}"
            if child not in children:
                raise PresetError(
                    f'"{child}" is not a child entity of {name}{did_you_mean(child, children)}'
                    + ("" if children else f" ({name} has no child entities)"),
                    path=path,
                )
            _check_count(design, child, count, path)


def _check_count(design: Design, child: str, count, path: str) -> None:
    """A count of children per parent row: an integer distribution, or a numeric parent field."""
    if isinstance(count, FieldCount):
        _check_field_count(design, child, count, path)
        return
    if not count.counts:
        raise PresetError(f'count must be an integer distribution ({", ".join(COUNT_KINDS)}), not "{count.kind}"', path=path)
    if (why := count.count_problem()) is not None:
        raise PresetError(why, path=path)


def _check_field_count(design: Design, child: str, count: FieldCount, path: str) -> None:
    from .kinds.derived import numeric  # the kinds' own answer, as the reference's weight asks it

    link = design.entities[child].parent
    assert link is not None
    fields = all_fields(design, link.entity)
    if count.field not in fields:
        raise PresetError(
            f'count names unknown field "{count.field}" in entity {link.entity}{did_you_mean(count.field, fields)}',
            path=f"{path}.field",
        )
    for spec in specs_of(design, link.entity, count.field):
        if not numeric(spec):
            raise PresetError(
                f"{link.entity}.{count.field} is a {spec.kind} field, not a number: a count reads a numeric field",
                path=f"{path}.field",
            )


def _field_counts(design: Design):
    """Every count that reads a parent field: (child, count, key path)."""
    for name, entity in design.entities.items():
        if entity.parent is not None and isinstance(entity.parent.count, FieldCount):
            yield name, entity.parent.count, f"entities.{name}.parent.count"
        for vname, variant in entity.variants.items():
            for child, count in variant.children.items():
                if isinstance(count, FieldCount):
                    yield child, count, f"entities.{name}.variants.{vname}.children.{child}"


def _check_field_counts_read_no_children(design: Design) -> None:
    """The field a count reads is made before its children are laid out: it may not read them, their
    descendants, or anything made from them (references into them, aggregates over them)."""
    edges = graph(design)
    for child, count, path in _field_counts(design):
        below = set(design.subtree(child))
        link = design.entities[child].parent
        assert link is not None
        start = (link.entity, count.field)
        seen, todo_nodes = {start}, [start]
        while todo_nodes:
            node = todo_nodes.pop()
            touched = {node[0]} | {e for spec in specs_of(design, *node) if isinstance(e := getattr(spec, "entity", None), str)}
            if touched & below:
                through = "" if node == start else f" through {node[0]}.{node[1]}"
                raise PresetError(
                    f"{link.entity}.{count.field} is made from {child} rows{through}: a count cannot read a field "
                    "made from the rows it counts",
                    path=f"{path}.field",
                )
            for nxt in edges.get(node, []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo_nodes.append(nxt)


def _check_tables(design: Design) -> None:
    """Two entities may not write one table: names are compared without case, as SQLite and the
    file systems of macOS and Windows compare them. Said where a `table` is set, if one is."""
    seen: dict[str, str] = {}
    for name, entity in design.entities.items():
        table = design.table_of(name)
        if (other := seen.get(table.lower())) is not None:
            here = name if entity.table or not design.entities[other].table else other
            there = other if here == name else name
            mine, theirs = design.table_of(here), design.table_of(there)
            also = "" if mine == theirs else f" (entity {there} writes {theirs}: table names are compared without case)"
            raise PresetError(
                f"entities {other} and {name} would both write table {mine}{also}",
                path=f"entities.{here}.table" if design.entities[here].table else f"entities.{here}",
            )
        seen[table.lower()] = name


def _check_columns(design: Design, name: str, entity) -> None:
    """A field's column is set on the field, and variants agree with it; two exported fields of an
    entity may not write one column (compared without case, as SQLite compares them)."""
    where = f"entities.{name}"
    for vname, variant in entity.variants.items():
        for fname, spec in variant.fields.items():
            if spec.column is not None and spec.column != design.column_of(name, fname):
                raise PresetError(
                    f"field {fname} is written to column {design.column_of(name, fname)}; a variant cannot write it elsewhere",
                    path=f"{where}.variants.{vname}.fields.{fname}.column",
                )
    seen: dict[str, str] = {}
    for fname, spec in all_fields(design, name).items():
        if not spec.export:
            continue
        column = design.column_of(name, fname)
        if (other := seen.get(column.lower())) is not None:
            fields = all_fields(design, name)
            here = fname if fields[fname].column or not fields[other].column else other
            there = other if here == fname else fname
            mine, theirs = design.column_of(name, here), design.column_of(name, there)
            also = "" if mine == theirs else f" (field {there} writes {theirs}: column names are compared without case)"
            raise PresetError(
                f"fields {other} and {fname} would both write column {mine}{also}",
                path=f"{where}.fields.{here}.column" if fields[here].column else f"{where}.fields.{here}",
            )
        seen[column.lower()] = fname


class FieldCheck:
    """What a kind's `check()` is given: the place of one spec in the design, and the ways to refuse
    it with the key path of that place."""

    did_you_mean = staticmethod(did_you_mean)

    def __init__(self, design: Design, entity: str, path: str):
        self.design, self.entity, self.path = design, entity, path
        self.fields = all_fields(design, entity)

    def fail(self, message: str, path: str | None = None) -> NoReturn:
        raise PresetError(message, path=path or self.path)

    def missing(self, kind: str, name: str, choices, path: str) -> PresetError:
        return _missing(kind, name, choices, path)

    def need(self, fname: str, owner: str, key: str) -> None:
        """Field `fname` of entity `owner` exists (`key` is the option that names it)."""
        owned = all_fields(self.design, owner)
        if fname not in owned:
            where = "" if owner == self.entity else f" in entity {owner}"
            self.fail(f'{key} names unknown field "{fname}"{where}{did_you_mean(fname, owned)}')

    def need_at(self, fname: str, owner: str, key: str, path: str) -> None:
        """need(), refusing at the key path of the option that names the field."""
        owned = all_fields(self.design, owner)
        if fname not in owned:
            where = "" if owner == self.entity else f" in entity {owner}"
            self.fail(f'{key} names unknown field "{fname}"{where}{did_you_mean(fname, owned)}', path)

    def locale(self, locale, path: str) -> None:
        _check_locale(locale, path)


def _check_field(design: Design, entity: str, spec, path: str) -> None:
    spec.check(FieldCheck(design, entity, path))


def _check_cycles(design: Design) -> None:
    cycle = find_cycle(graph(design))
    if cycle:
        first = cycle[0]
        chain = " -> ".join(f"{e}.{f}" for e, f in cycle)
        raise PresetError(f"fields depend on each other in a circle: {chain}", path=f"entities.{first[0]}.fields.{first[1]}")
    for name in design.entities:
        parents = [name]
        while (link := design.entities[parents[-1]].parent) is not None:
            if link.entity in parents:
                raise PresetError(
                    "entities are each other's parents in a circle: " + " -> ".join(parents + [link.entity]),
                    path=f"entities.{name}.parent",
                )
            parents.append(link.entity)


def _check_unique_capacity(design: Design, entity: str, rows: int | None = None) -> None:
    rows = expected_rows(design, entity) if rows is None else rows
    if rows is None:
        return
    for fname, spec in design.entities[entity].fields.items():
        if (pointed := spec.uses_up()) is not None:
            _check_reference_capacity(design, entity, fname, pointed)
        if not spec.unique:
            continue
        size = spec.domain_size(design)
        if size is not None and size < rows:
            raise PresetError(f"unique asks {rows} values of a domain of {size}", path=f"entities.{entity}.fields.{fname}")


def _check_key_not_null(design: Design, name: str, entity) -> None:
    """A primary key is never null: SQLite would turn a null into a new rowid, CSV leave it empty.
    Nor is any field of a composite key."""
    for key in entity.key_fields:
        _check_key_field_not_null(design, name, entity, key)


def _check_key_field_not_null(design: Design, name: str, entity, key: str) -> None:
    if key not in all_fields(design, name):
        return
    if key not in entity.fields:
        raise PresetError(
            f"primary key {key} is named only in variants, so it would be null in other rows", path=f"entities.{name}.primary_key"
        )
    if entity.fields[key].null_rate:
        raise PresetError("a primary key cannot be null; remove null_rate", path=f"entities.{name}.fields.{key}.null_rate")
    for vname, variant in entity.variants.items():
        if key in variant.fields and variant.fields[key].null_rate:
            raise PresetError(
                "a primary key cannot be null; remove null_rate", path=f"entities.{name}.variants.{vname}.fields.{key}.null_rate"
            )


def _check_unique_edges(name: str, entity) -> None:
    """Edge cases are a few fixed values (0, the bounds, "", ...) put in a share of the rows: in a
    key or a unique field they repeat (the export then fails on the constraint, or a CSV holds
    duplicates), and a permuted unique field would drop them. Refused rather than silently lost."""
    together = {f for names in entity.unique_tuples for f in names}
    for fname, base in entity.fields.items():
        if not (fname == entity.key or base.unique or fname in together):
            continue
        what = "the primary key" if fname == entity.key else "a unique field" if base.unique else "a unique tuple"
        owners = [(f"entities.{name}.fields.{fname}", base)]
        owners += [
            (f"entities.{name}.variants.{v}.fields.{fname}", var.fields[fname])
            for v, var in entity.variants.items()
            if fname in var.fields
        ]
        for path, spec in owners:
            if spec.edge_rate:
                raise PresetError(
                    f"edge_rate would repeat its edge values in {what}; put the edge cases on a field that is not unique",
                    path=f"{path}.edge_rate",
                )


def _check_reference_capacity(design: Design, entity: str, fname: str, pointed: str) -> None:
    """A unique reference takes each row of its entity at most once: refused when there are more
    rows to give than rows to take (a child's rows: their largest count where it is bounded)."""
    need = rows_estimate(design, entity, at_most=True)
    have = rows_estimate(design, pointed)
    if need is not None and have is not None and need > have:
        raise PresetError(
            f"a unique reference points at a different row of {pointed} in each row: {need} rows here, {pointed} has {have}",
            path=f"entities.{entity}.fields.{fname}",
        )


def _tuple_path(entity, names: tuple[str, ...]) -> str:
    return "primary_key" if names == entity.composite_key else "unique"


def _check_tuple_names(design: Design, name: str, entity) -> None:
    """Every field a composite key or a unique tuple names exists."""
    fields = all_fields(design, name)
    for names in entity.unique_tuples:
        for fname in names:
            if fname not in fields:
                raise _missing("field", fname, fields, f"entities.{name}.{_tuple_path(entity, names)}")


def _check_unique_tuples(design: Design, name: str, entity) -> None:
    """A composite key or unique tuple is distinct by construction, never by retrying (the ways:
    model/tuples.py); anything else is refused here, as a product domain smaller than the rows."""
    in_products: dict[str, tuple[str, ...]] = {}
    for names in entity.unique_tuples:
        path = f"entities.{name}.{_tuple_path(entity, names)}"
        shown = "(" + ", ".join(names) + ")"
        for vname, variant in entity.variants.items():
            if over := next((f for f in names if f in variant.fields), None):
                raise PresetError(
                    f"a variant cannot override {over}: it is in the distinct tuple {shown}",
                    path=f"entities.{name}.variants.{vname}.fields.{over}",
                )
        built = how_built(design, name, names)
        if built == "product":
            _check_product(design, name, names, path, in_products)
            continue
        if built is not None:
            continue
        specs = {f: entity.fields[f] for f in names if f in entity.fields}
        parents = [f for f, spec in specs.items() if copies_parent_key(design, name, spec)]
        if parents and (pointing := next((f for f, spec in specs.items() if spec.links and f not in parents), None)):
            target = specs[pointing].target(design, name)
            raise PresetError(
                f'{shown} must be distinct: add distinct = "per_parent" to {pointing}, so that the rows of one '
                f"{parents[0]} point at different rows of {target}",
                path=f"entities.{name}.fields.{pointing}",
            )
        raise PresetError(
            f"cannot make {shown} distinct by construction: make one of its fields unique, pair a parent field "
            'with a reference that has distinct = "per_parent" (or a series with per_parent = true), or use fields '
            "with finite domains (whole numbers or decimals between bounds, dates)",
            path=path,
        )


def _check_product(design: Design, name: str, names: tuple[str, ...], path: str, taken: dict[str, tuple[str, ...]]) -> None:
    shown = "(" + ", ".join(names) + ")"
    for fname in names:
        if fname in taken:
            other = "(" + ", ".join(taken[fname]) + ")"
            raise PresetError(
                f"{fname} is in two tuples built from their domains, {other} and {shown}: keep it in one", path=path
            )
        taken[fname] = names
    size, sizes = product_size(design, name, names)
    rows = expected_rows(design, name)
    if rows is not None and rows > size:
        product = " x ".join(str(s) for s in sizes)
        raise PresetError(f"{shown} asks {rows} distinct tuples of a domain of {size} ({product})", path=path)
