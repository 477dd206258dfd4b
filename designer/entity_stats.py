"""Per-field statistics of whole entities, for `designer stats`: the TUI's numbers
(`stats.column_stats`) over the rows an export writes first."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from . import pipeline
from .model import Design
from .stats import ColumnStats, column_stats

BINS = 8  # a histogram's lines in the terminal: the TUI's 16 bins merged in pairs, as its panel does on a short screen
TOP = 10  # the TUI's top values


@dataclass(frozen=True)
class FieldStats:
    name: str
    dtype: str
    stats: ColumnStats

    def as_dict(self) -> dict:
        s = self.stats
        present = round(s.rows * (1 - s.null_share))
        out: dict = {
            "dtype": self.dtype,
            "rows": s.rows,
            "null_share": s.null_share,
            "distinct": round(s.distinct_share * present),
            "distinct_share": s.distinct_share,
            **s.numbers,
        }
        bars = [
            {"start" if s.histogram else "value": label, "count": count, "share": count / max(s.rows, 1)}
            for label, count in s.bars
        ]
        out["histogram" if s.histogram else "top"] = bars
        return out


def entity_stats(
    design: Design, entity: str | None = None, rows: int = 10_000, seed: int | None = None, bins: int = BINS
) -> dict[str, list[FieldStats]]:
    """Each entity's (or one entity's) first `rows` rows, exactly those an export writes first,
    described field by field."""
    frames = pipeline.preview(design, entity, rows, seed)
    return {name: [describe(frame.get_column(c), bins) for c in frame.columns] for name, frame in frames.items()}


def describe(values: pl.Series, bins: int = BINS) -> FieldStats:
    return FieldStats(values.name, str(values.dtype), column_stats(values, bins=bins, top=TOP))
