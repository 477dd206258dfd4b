"""Renaming a field or an entity together with everything that names it, as one new Design.

What names a field: templates ({name}), expressions and aggregates (columns, found with sqlglot's
tokenizer so the user's text keeps its layout), lookups (via, and field in the row pointed to),
parent fields of child entities, references (field), timeseries (time, baseline), anomalies,
primary_key and the variants' overrides. What names an entity: parent links, references and
aggregates. A rename onto a taken name or a name the loader refuses is refused, never merged.
"""

from __future__ import annotations

from sqlglot.dialects.dialect import Dialect
from sqlglot.tokens import TokenType

from .deps import TEMPLATE_NAME, all_fields, via_target
from .design import Design, name_problem
from .sqlsafe import DIALECT


def rename_problem(design: Design, entity: str | None, old: str, new: str) -> str | None:
    """Why `old` may not become `new` (a field of `entity`, or an entity when `entity` is None)."""
    if (why := name_problem(new, entity=entity is None)) is not None:
        return why
    taken = design.entities if entity is None else all_fields(design, entity)
    if new != old and new in taken:
        return f'{"an entity" if entity is None else "a field of " + entity} is named "{new}" already'
    return None


def rename_in_sql(text: str, old: str, new: str) -> str:
    """The SQL text with column `old` named `new`; functions and strings of that name stay."""
    tokens = Dialect.get_or_raise(DIALECT).tokenizer_class().tokenize(text)
    out, last = [], 0
    for i, token in enumerate(tokens):
        if token.text != old or token.token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
            continue
        if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.L_PAREN:
            continue  # a function call, not a column
        start, end = token.start, token.end + 1
        if token.token_type == TokenType.IDENTIFIER:  # "old": keep the quotes
            start, end = start + 1, end - 1
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]


def _rename_template(text: str, old: str, new: str) -> str:
    return TEMPLATE_NAME.sub(lambda m: "{" + new + "}" if m.group(1) == old else m.group(0), text)


def _update(spec, **changes):
    changes = {k: v for k, v in changes.items() if getattr(spec, k) != v}
    return spec.model_copy(update=changes) if changes else spec


def _same_row(spec, old: str, new: str):
    """A spec of the renamed field's own entity, with the field's new name where it reads it."""

    def swap(v):
        return new if v == old else v

    kind = spec.kind
    if kind == "template":
        return _update(spec, template=_rename_template(spec.template, old, new))
    if kind == "expression":
        return _update(spec, expr=rename_in_sql(spec.expr, old, new))
    if kind == "lookup":
        return _update(spec, via=swap(spec.via))
    if kind == "timeseries":
        return _update(
            spec, time=swap(spec.time), baseline=swap(spec.baseline) if isinstance(spec.baseline, str) else spec.baseline
        )
    if kind == "anomaly":
        return _update(spec, field=swap(spec.field))
    return spec


def _elsewhere(design: Design, here: str, spec, entity: str, old: str, new: str):
    """A spec of entity `here`, with `entity`.`old` renamed where it reads it."""
    kind = spec.kind

    def swap(v):
        return new if v == old else v

    link = design.entities[here].parent
    if kind == "parent" and link and link.entity == entity:
        return _update(spec, field=swap(spec.field))
    if kind == "reference" and spec.entity == entity:
        return _update(spec, field=swap(spec.field))
    if kind == "lookup" and via_target(design, here, spec.via) == entity:
        return _update(spec, field=swap(spec.field))
    if kind == "aggregate" and spec.entity == entity:
        return _update(spec, expr=rename_in_sql(spec.expr, old, new))
    return spec


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
        spec = _elsewhere(design, here, spec, entity, old, new)  # first: it reads `via` by its old name
        return _same_row(spec, old, new) if here == entity else spec

    design = _map_specs(design, change)
    ent = design.entities[entity]
    key = lambda n: new if n == old else n  # noqa: E731
    variants = {
        v: var.model_copy(update={"fields": {key(n): f for n, f in var.fields.items()}}) for v, var in ent.variants.items()
    }
    update = {"fields": {key(n): f for n, f in ent.fields.items()}, "variants": variants}
    if ent.primary_key == old:
        update["primary_key"] = new
    entities = {**design.entities, entity: ent.model_copy(update=update)}
    return design.model_copy(update={"entities": entities})


def rename_entity(design: Design, old: str, new: str) -> Design:
    """Entity `old` named `new` (in place: the order of entities is kept), with every reference."""

    def change(_here: str, spec):
        if spec.kind in ("reference", "aggregate") and spec.entity == old:
            return spec.model_copy(update={"entity": new})
        return spec

    design = _map_specs(design, change)
    entities = {}
    for name, ent in design.entities.items():
        if ent.parent is not None and ent.parent.entity == old:
            ent = ent.model_copy(update={"parent": ent.parent.model_copy(update={"entity": new})})
        entities[new if name == old else name] = ent
    return design.model_copy(update={"entities": entities})
