"""One-line summaries of fields and entities, for the tree and the summaries (headless)."""

from __future__ import annotations

from .model.base import FieldBase

_SKIP = set(FieldBase.model_fields) | {"kind"}


def field_line(spec) -> str:
    """`normal mean=35 std=12 18..90` - the kind and the options that make it what it is."""
    data = spec.model_dump(exclude_unset=True)
    parts = [spec.kind]
    for key, value in data.items():
        if key in _SKIP:
            continue
        text = repr(value) if isinstance(value, str) else str(value)
        if len(text) > 24:
            text = text[:21] + "..."
        parts.append(f"{key}={text}")
    flags = [f for f in ("unique",) if getattr(spec, f, False)]
    if spec.null_rate:
        flags.append(f"null {spec.null_rate:.0%}")
    if not spec.export:
        flags.append("hidden")
    return " ".join(parts + [f"[{', '.join(flags)}]"] if flags else parts)
