"""The plan: which entities are generated together and in what order their fields are computed.

A family is a root entity with all its descendants: one block of the root's rows
and all their children, grandchildren... is generated together, so parent
lookups and aggregates never leave the block. Fields are ordered across the
family by what they read (model.deps); references into other entities are
served by materializing the needed columns of the referenced entity first.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import cached_property

from ..errors import PresetError, did_you_mean
from ..model import Design, check_design
from ..model.deps import Node, all_fields, graph


@dataclass(frozen=True)
class Plan:
    design: Design

    @cached_property
    def edges(self) -> dict[Node, list[Node]]:
        return graph(self.design)

    @cached_property
    def roots(self) -> list[str]:
        return [n for n, e in self.design.entities.items() if e.parent is None]

    def family(self, root: str) -> list[str]:
        """The root and its descendants, parents before children, in design order."""
        return self.design.subtree(root)

    def below(self, entity: str) -> frozenset[str]:
        """An entity and its descendants: what a count of the entity's rows lays out."""
        return frozenset(self.design.subtree(entity))

    def root_of(self, entity: str) -> str:
        return self.design.root_of(entity)

    def field_order(self, root: str, wanted: frozenset[Node] | None = None) -> list[Node]:
        """Fields of a family in an order where every field comes after what it reads: of the
        fields ready, always the first in design order (a stable topological order).

        With `wanted`, only those fields and what they need inside the family. Cached: every
        block asks, and a plan is frozen.
        """
        key = (root, wanted)
        if key not in self._orders:
            self._orders[key] = self._field_order(root, wanted)
        return self._orders[key]

    @cached_property
    def _orders(self) -> dict[tuple[str, frozenset[Node] | None], list[Node]]:
        return {}

    def _field_order(self, root: str, wanted: frozenset[Node] | None) -> list[Node]:
        # Kahn's algorithm with a heap of design positions: each edge is looked at once, so a
        # wide entity costs n log n, not the n^2 of rescanning every field for each one placed.
        members = self.family(root)
        nodes = [(e, f) for e in members for f in all_fields(self.design, e)]
        if wanted is not None:
            needed = self._closure(wanted)
            nodes = [n for n in nodes if n in needed]
        position = {n: i for i, n in enumerate(nodes)}
        waiting = [0] * len(nodes)  # inputs inside the family not yet placed
        readers: list[list[int]] = [[] for _ in nodes]
        for i, node in enumerate(nodes):
            for dep in dict.fromkeys(self.edges[node]):
                j = position.get(dep)
                if j is not None:
                    waiting[i] += 1
                    readers[j].append(i)
        ready = [i for i, count in enumerate(waiting) if count == 0]
        heapq.heapify(ready)
        order: list[Node] = []
        while ready:
            i = heapq.heappop(ready)
            order.append(nodes[i])
            for r in readers[i]:
                waiting[r] -= 1
                if waiting[r] == 0:
                    heapq.heappush(ready, r)
        if len(order) < len(nodes):  # the loader refuses circles; this guards the engine's own use
            raise PresetError("fields depend on each other in a circle")
        return order

    def _closure(self, wanted: frozenset[Node]) -> set[Node]:
        seen: set[Node] = set()
        stack = list(wanted)
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack += self.edges.get(node, [])
        return seen

    @cached_property
    def load_order(self) -> list[str]:
        """Every entity after the entities it points to (parents, references) where possible."""
        families = list(self.roots)
        needs: dict[str, set[str]] = {r: set() for r in families}
        for (entity, _), inputs in self.edges.items():
            for other, _ in inputs:
                a, b = self.root_of(entity), self.root_of(other)
                if a != b:
                    needs[a].add(b)
        ordered: list[str] = []
        while len(ordered) < len(families):
            ready = [f for f in families if f not in ordered and needs[f] <= set(ordered)]
            ordered.append(ready[0] if ready else next(f for f in families if f not in ordered))
        return [e for root in ordered for e in self.family(root)]


def make_plan(design: Design, rows: dict[str, int] | None = None, scale: float | None = None) -> Plan:
    """A plan for a design, with root row counts overridden (`--rows`, `--scale`)."""
    if rows or scale:
        entities = dict(design.entities)
        for name, entity in design.entities.items():
            if entity.parent is not None:
                continue
            count = entity.rows or 0
            if scale is not None:
                # a lookup table of 5 rows at --scale 0.1 keeps one row: with none, every reference
                # to it would be refused (only --scale 0 empties an entity)
                count = max(1, round(count * scale)) if count and scale > 0 else 0
            if rows and name in rows:
                count = rows[name]
            entities[name] = entity.model_copy(update={"rows": count})
        for name in rows or {}:
            if name not in design.entities:
                raise PresetError(f'--rows names unknown entity "{name}"{did_you_mean(name, design.entities)}')
            parent = design.entities[name].parent
            if parent is not None:
                raise PresetError(f"--rows: {name} is a child entity; its rows follow its parent ({parent.entity})")
        design = design.model_copy(update={"entities": entities})
        check_design(design)  # capacity of unique fields at the new row counts
    return Plan(design)
