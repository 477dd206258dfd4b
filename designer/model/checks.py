"""Checks that need the whole design: names that must exist, circles, capacity, providers.

Each check raises PresetError with the key path of the offending value, so a
user reads `entities.orders.fields.total: expression names "subtotl"; did you mean "subtotal"?`.
"""

from __future__ import annotations

from ..errors import PresetError, did_you_mean
from .deps import all_fields, expression_names, find_cycle, graph, reference_key, template_names, via_target
from .design import FORMAT_VERSION, Design
from .domains import domain_size, expected_rows, rows_estimate
from .fields import COUNT_KINDS
from .limits import check_limits
from .providers import available_locales, check_faker


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
    _check_cycles(design)
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
        count = entity.parent.count
        if count.kind not in COUNT_KINDS or (
            count.kind == "choice" and not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in count.values)
        ):
            raise PresetError(
                f'count must be an integer distribution ({", ".join(COUNT_KINDS)}; choice of counts ≥ 0), not "{count.kind}"',
                path=f"{where}.parent.count",
            )
    elif entity.rows is None:
        raise PresetError("a root entity needs rows (or a parent)", path=where)
    fields = all_fields(design, name)
    if entity.primary_key and entity.primary_key not in fields:
        raise _missing("field", entity.primary_key, fields, f"{where}.primary_key")
    _check_key_not_null(design, name, entity)
    _check_unique_edges(name, entity)
    for fname, spec in entity.fields.items():
        _check_field(design, name, spec, f"{where}.fields.{fname}")
    for vname, variant in entity.variants.items():
        for fname, spec in variant.fields.items():
            _check_field(design, name, spec, f"{where}.variants.{vname}.fields.{fname}")


def _check_field(design: Design, entity: str, spec, path: str) -> None:
    fields = all_fields(design, entity)
    kind = spec.kind

    def need_field(fname: str, owner: str, key: str) -> None:
        owned = all_fields(design, owner)
        if fname not in owned:
            where = "" if owner == entity else f" in entity {owner}"
            raise PresetError(f'{key} names unknown field "{fname}"{where}{did_you_mean(fname, owned)}', path=path)

    if kind == "faker":
        _check_locale(spec.locale, f"{path}.locale")
        locales = _locales(spec.locale or design.info.locale)
        for locale in locales:
            check_faker(spec, locale, design.info.reference_time, path)
    elif kind == "template":
        for n in template_names(spec.template):
            need_field(n, entity, "template")
    elif kind == "expression":
        for n in expression_names(spec.expr):
            need_field(n, entity, "expression")
    elif kind == "parent":
        link = design.entities[entity].parent
        if link is None:
            raise PresetError("a parent field needs a child entity (this entity has no parent)", path=path)
        need_field(spec.field, link.entity, "field")
    elif kind == "reference":
        if spec.entity not in design.entities:
            raise _missing("entity", spec.entity, design.entities, f"{path}.entity")
        key = reference_key(design, spec)
        if key is None:
            raise PresetError(f"entity {spec.entity} has no sequence or uuid key; name one with field", path=path)
        need_field(key, spec.entity, "field")
        _check_tree(spec, entity, path)
    elif kind == "lookup":
        if spec.via not in fields:
            raise PresetError(f'via names unknown field "{spec.via}"{did_you_mean(spec.via, fields)}', path=path)
        target = via_target(design, entity, spec.via)
        if target is None:
            raise PresetError(f'via must name a parent or reference field; "{spec.via}" is {fields[spec.via].kind}', path=path)
        need_field(spec.field, target, "field")
    elif kind == "aggregate":
        children = design.children_of(entity)
        if spec.entity not in design.entities:
            raise _missing("entity", spec.entity, design.entities, f"{path}.entity")
        if spec.entity not in children:
            raise PresetError(f"aggregate entity {spec.entity} is not a child of {entity}", path=f"{path}.entity")
        for n in expression_names(spec.expr):
            need_field(n, spec.entity, "expression")
    elif kind == "timeseries":
        need_field(spec.time, entity, "time")
        if isinstance(spec.baseline, str):
            need_field(spec.baseline, entity, "baseline")
    elif kind == "anomaly":
        need_field(spec.field, entity, "field")
        if fields[spec.field].kind != "timeseries":
            raise PresetError(f'field "{spec.field}" is not a timeseries', path=path)
    elif kind == "series" and spec.per_parent and design.entities[entity].parent is None:
        raise PresetError("per_parent needs a child entity (this entity has no parent)", path=path)


def _locales(locale) -> list[str]:
    return [locale] if isinstance(locale, str) else list(locale)


def _check_cycles(design: Design) -> None:
    cycle = find_cycle(graph(design))
    if cycle:
        first = cycle[0]
        chain = " -> ".join(f"{e}.{f}" for e, f in cycle)
        raise PresetError(f"fields depend on each other in a circle: {chain}", path=f"entities.{first[0]}.fields.{first[1]}")
    seen: list[str] = []
    for name in design.entities:
        chain = [name]
        while (link := design.entities[chain[-1]].parent) is not None:
            if link.entity in chain:
                raise PresetError(
                    "entities are each other's parents in a circle: " + " -> ".join(chain + [link.entity]),
                    path=f"entities.{name}.parent",
                )
            chain.append(link.entity)
        seen.append(name)


def _check_unique_capacity(design: Design, entity: str, rows: int | None = None) -> None:
    rows = expected_rows(design, entity) if rows is None else rows
    if rows is None:
        return
    for fname, spec in design.entities[entity].fields.items():
        if spec.unique and spec.kind == "reference":
            _check_reference_capacity(design, entity, fname, spec)
        if not spec.unique:
            continue
        size = domain_size(spec, design)
        if size is not None and size < rows:
            raise PresetError(f"unique asks {rows} values of a domain of {size}", path=f"entities.{entity}.fields.{fname}")


def _check_key_not_null(design: Design, name: str, entity) -> None:
    """A primary key is never null: SQLite would turn a null into a new rowid, CSV leave it empty."""
    key = entity.key
    if key is None or key not in all_fields(design, name):
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
    for fname, base in entity.fields.items():
        if not (fname == entity.key or base.unique):
            continue
        what = "the primary key" if fname == entity.key else "a unique field"
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


def _check_tree(spec, entity: str, path: str) -> None:
    if spec.tree and spec.entity != entity:
        raise PresetError(f"tree needs a reference to this entity ({entity}), not to {spec.entity}", path=f"{path}.tree")
    if spec.tree and spec.unique:
        raise PresetError("tree and unique cannot go together (each row would have one child: a chain)", path=f"{path}.unique")
    if spec.tree and spec.distribution != "uniform":
        raise PresetError(
            "tree draws each row's parent evenly from the earlier rows; remove distribution", path=f"{path}.distribution"
        )
    if spec.root_rate and not spec.tree:
        raise PresetError("root_rate needs tree = true", path=f"{path}.root_rate")


def _check_reference_capacity(design: Design, entity: str, fname: str, spec) -> None:
    """A unique reference takes each row of its entity at most once: refused when there are more
    rows to give than rows to take (a child's rows: their largest count where it is bounded)."""
    need = rows_estimate(design, entity, at_most=True)
    have = rows_estimate(design, spec.entity)
    if need is not None and have is not None and need > have:
        raise PresetError(
            f"a unique reference points at a different row of {spec.entity} in each row: "
            f"{need} rows here, {spec.entity} has {have}",
            path=f"entities.{entity}.fields.{fname}",
        )
