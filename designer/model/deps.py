"""What each field reads: the edges of the field graph that the plan orders.

A dependency is a (entity, field) pair. Every kind names its inputs in its model (`inputs()`)
and nowhere else, so the loader's checks and the engine's plan agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .base import Node

if TYPE_CHECKING:  # the kinds read their inputs with these helpers, and the design holds the kinds
    from .design import Design

TEMPLATE_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@lru_cache(maxsize=1024)
def expression_names(expr: str) -> tuple[str, ...]:
    """Columns a polars SQL expression reads, once sqlsafe allows the text (the model checked it
    already; a design built another way is checked here, before polars parses it)."""
    import polars as pl

    from ..errors import PresetError
    from .sqlsafe import refusal

    if (why := refusal(expr, aggregate=True)) is not None:
        raise PresetError(why)
    return tuple(dict.fromkeys(pl.sql_expr(expr).meta.root_names()))


def template_names(template: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(TEMPLATE_NAME.findall(template)))


def via_target(design: Design, entity: str, via: str) -> str | None:
    """The entity a parent or reference field points to."""
    spec = all_fields(design, entity).get(via)
    return None if spec is None else spec.target(design, entity)


def reference_key(design: Design, spec) -> str | None:
    target = design.entities.get(spec.entity)
    return spec.field or (target.key if target else None)


def field_inputs(design: Design, entity: str, spec) -> list[Node]:
    """The (entity, field) pairs this field's values are computed from: each kind says."""
    return spec.inputs(design, entity)


def all_fields(design: Design, entity: str) -> dict:
    """Base fields, then fields named only in variants (null outside them), in order."""
    ent = design.entities[entity]
    fields = dict(ent.fields)
    for variant in ent.variants.values():
        for name, spec in variant.fields.items():
            fields.setdefault(name, spec)
    return fields


def specs_of(design: Design, entity: str, name: str) -> list:
    """Every spec a field has: its base one and its variants' overrides."""
    ent = design.entities[entity]
    specs = [ent.fields[name]] if name in ent.fields else []
    specs += [v.fields[name] for v in ent.variants.values() if name in v.fields]
    return specs


def graph(design: Design) -> dict[Node, list[Node]]:
    """Every field and what it reads, across entities."""
    edges: dict[Node, list[Node]] = {}
    for entity in design.entities:
        for name in all_fields(design, entity):
            inputs: list[Node] = []
            for spec in specs_of(design, entity, name):
                inputs += field_inputs(design, entity, spec)
            edges[(entity, name)] = list(dict.fromkeys(inputs))
    return edges


def find_cycle(edges: dict[Node, list[Node]]) -> list[Node] | None:
    """A dependency circle as a path that starts and ends at the same node, or None."""
    state: dict[Node, int] = {}  # 1 = on the stack, 2 = done
    stack: list[Node] = []

    def visit(node: Node) -> list[Node] | None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, []):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if state.get(nxt) is None and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in edges:
        if state.get(node) is None and (found := visit(node)):
            return found
    return None
