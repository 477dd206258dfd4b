"""Statistics of the selected field over a sample of rows: histogram or top values, nulls, distinct,
moments; for a child entity, how many rows each parent row has."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ...stats import ColumnStats, column_stats, compact

BAR_WIDTH = 24


class StatsPanel(Static):
    BORDER_TITLE = "Statistics"
    current: ColumnStats | None = None  # what is shown, for tests and screen readers

    def show(self, field: str, stats: ColumnStats, note: str = "") -> None:
        self.current = stats
        self.border_title = f"Statistics · {field} · {compact(stats.rows)} rows"
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True, max_width=18)
        table.add_column(no_wrap=True, ratio=1)
        table.add_column(justify="right", no_wrap=True)
        peak = max((c for _, c in stats.bars), default=1) or 1
        # the bars take what the labels and shares leave, so a narrow panel cuts no label
        room = max(4, min(BAR_WIDTH, self.content_region.width - 8 - max((len(lb[:18]) for lb, _ in stats.bars), default=0)))
        for label, count in stats.bars:
            width = count / peak * room
            bar = "█" * int(width) + ("▌" if width - int(width) >= 0.5 else "")
            table.add_row(label[:18], Text(bar, style="cyan"), f"{count / max(stats.rows, 1):.1%}")
        facts = [f"null {stats.null_share:.1%}", f"distinct {stats.distinct_share:.1%}"]
        facts += [f"{k} {compact(v)}" for k, v in stats.numbers.items()]
        # the facts wrap between items, never inside one, so a narrow panel shows them all
        line = Text("  ".join(f.replace(" ", "\u00a0") for f in facts), style="bold")
        self.update(Group(*([Text(note, style="dim")] if note else []), table, line))

    def show_children(self, entity: str, parent: str, per_parent: pl.Series) -> None:
        """A child entity: the histogram of its rows per parent row in the sample."""
        stats = column_stats(per_parent.cast(pl.Int64))
        if not stats.histogram:  # few distinct counts: in order of the count, not of how often
            stats = replace(stats, bars=sorted(stats.bars, key=lambda bar: int(bar[0])))
        self.show(f"{entity} per {parent}", stats,
                  f"rows of {entity} under each {parent} row (first block)")
        self.border_title = f"Statistics · {entity} per {parent} · {compact(per_parent.len())} parents"

    def show_message(self, message: str) -> None:
        self.current = None
        self.border_title = "Statistics"
        self.update(Text(message, style="dim"))
