"""A design in numbers: what `designer validate` prints and the TUI's header shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Design
from .model.counts import FieldCountView
from .model.deps import all_fields
from .model.domains import child_counts
from .model.kinds import Faker

if TYPE_CHECKING:
    from .engine.fakers.cost import Cost


@dataclass(frozen=True)
class EntitySummary:
    name: str
    rows: str  # "1000", or "2 per users (poisson)"
    fields: int
    relationships: tuple[str, ...]


def summarize(design: Design) -> list[EntitySummary]:
    out = []
    for name, entity in design.entities.items():
        relations = []
        if entity.parent:
            for count, variant in _counts(design, name):
                if variant is None:
                    relations.append(f"child of {entity.parent.entity} ({_count_text(count)})")
                else:
                    relations.append(f"{variant} rows of {entity.parent.entity}: {_count_text(count)}")
            rows = f"per {entity.parent.entity}"
        else:
            rows = str(entity.rows)
        for fname, spec in all_fields(design, name).items():
            if (relation := spec.relation()) is not None:
                relations.append(f"{fname} {relation}")
        out.append(EntitySummary(name, rows, len(all_fields(design, name)), tuple(relations)))
    return out


def per_row_fields(design: Design) -> list[str]:
    """Faker fields that call Faker for each value in one of their locales, the provider itself or
    a {{token}} its formats expand, with the measured cost: "entity.field (provider, locale): 24 µs
    a value, 7 Faker calls". Fields that call Faker only per block are not named (about 1 µs)."""
    from .engine.fakers import path_of
    from .engine.fakers.cost import cost_of
    from .engine.kinds.fakerkind import locale_weights

    slow = []
    for name in design.entities:
        for fname, spec in all_fields(design, name).items():
            if not isinstance(spec, Faker) or spec.pool:  # only a Faker field calls Faker
                continue
            costs: dict[str, Cost | None] = {}  # None: Faker's own path, where measuring it failed
            for loc, _ in locale_weights(spec.locale or design.info.locale):
                try:
                    costs[loc] = cost_of(spec.provider, spec.args, loc)
                except Exception:  # Faker fails in this locale: the run says so; here it is Faker's path
                    if path_of(spec.provider, spec.args, loc) == "per-row":
                        costs[loc] = None
            per_row = {loc: c for loc, c in costs.items() if c is None or c.path == "per-row"}
            if per_row:
                measured = [c for c in per_row.values() if c is not None]
                cost = (
                    (f": {max(c.micros for c in measured):.0f} µs a value, {max(c.calls for c in measured):.3g} Faker calls")
                    if measured
                    else ""
                )
                slow.append(f"{name}.{fname} ({spec.provider}, {', '.join(per_row)}){cost}")
    return slow


def human_size(size: int | None) -> str:
    """A byte count as people read it (the CLI's summary and the TUI's export notice say the same)."""
    if size is None:
        return "-"
    shown = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if shown < 1024 or unit == "GiB":
            return f"{shown:.0f} {unit}" if unit == "B" else f"{shown:.1f} {unit}"
        shown /= 1024
    return str(shown)


def _counts(design: Design, child: str) -> list[tuple[object, str | None]]:
    """(count, variant or None): the child's count, then each parent variant's own (as child_counts orders them)."""
    link = design.entities[child].parent
    assert link is not None
    named = [None] + [v for v, var in design.entities[link.entity].variants.items() if child in var.children]
    return [(count, variant) for (_, count), variant in zip(child_counts(design, child), named, strict=True)]


def _count_text(count) -> str:
    """`uniform, 1..5 each`; `seats of the row, 0..12 each`; an unbounded count: `poisson, 0+ each`."""
    lo, hi = count.count_range()
    what = f"{count.count.field} of the row" if isinstance(count, FieldCountView) else count.kind
    return f"{what}, {lo}..{hi} each" if hi is not None else f"{what}, {lo}+ each"
