"""A design in numbers: what `designer validate` prints and the TUI's header shows."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Design
from .model.deps import all_fields
from .model.domains import count_range


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
            lo, hi = count_range(entity.parent.count)
            bound = f"{lo}..{hi}" if hi is not None else f"{lo}+"
            relations.append(f"child of {entity.parent.entity} ({entity.parent.count.kind}, {bound} each)")
            rows = f"per {entity.parent.entity}"
        else:
            rows = str(entity.rows)
        for fname, spec in all_fields(design, name).items():
            if spec.kind == "reference":
                relations.append(f"{fname} -> {spec.entity} ({spec.distribution})")
            elif spec.kind == "lookup":
                relations.append(f"{fname} = {spec.via}.{spec.field}")
            elif spec.kind == "aggregate":
                relations.append(f"{fname} = {spec.expr} over {spec.entity}")
        out.append(EntitySummary(name, rows, len(all_fields(design, name)), tuple(relations)))
    return out


def per_row_fields(design: Design) -> list[str]:
    """Faker fields that take Faker's own per-row path (about 60 microseconds a value, a minute a
    million rows) in one of their locales, as "entity.field (provider, locale)"."""
    from .engine.fakers import path_of
    from .engine.kinds.fakerkind import locale_weights

    slow = []
    for name in design.entities:
        for fname, spec in all_fields(design, name).items():
            if spec.kind != "faker" or getattr(spec, "pool", None):
                continue
            locales = [loc for loc, _ in locale_weights(spec.locale or design.design.locale)]
            per_row = [loc for loc in locales if path_of(spec.provider, spec.args, loc) == "per-row"]
            if per_row:
                slow.append(f"{name}.{fname} ({spec.provider}, {', '.join(per_row)})")
    return slow


def human_size(size: int | None) -> str:
    """A byte count as people read it (the CLI's summary and the TUI's export notice say the same)."""
    if size is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)
