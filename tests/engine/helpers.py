from __future__ import annotations

from designer import pipeline, presets
from designer.model import Design


def design_with(fields: dict, rows: int = 1000, seed: int = 7, extra: str = "") -> Design:
    """A one-entity design `t` from TOML inline field specs."""
    lines = [f"{name} = {spec}" for name, spec in fields.items()]
    text = (
        f"""
format = 1
[design]
name = "t"
seed = {seed}
reference_time = 2025-06-01T00:00:00
[entities.t]
rows = {rows}
[entities.t.fields]
"""
        + "\n".join(lines)
        + "\n"
        + extra
    )
    return presets.loads(text)


def column(fields: dict, name: str, rows: int = 20_000, seed: int = 7):
    return pipeline.generate(design_with(fields, rows, seed), "t")[name]
