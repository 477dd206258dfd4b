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

BAR_WIDTH = 48


def packed(facts: list[str], width: int) -> list[str]:
    """The facts in lines of `width`, broken between facts, never inside one (`mean 37.1`)."""
    lines = [""]
    for fact in facts:
        if lines[-1] and len(lines[-1]) + 2 + len(fact) > width:
            lines.append("")
        lines[-1] += ("  " if lines[-1] else "") + fact
    return lines


def fitted(stats: ColumnStats, lines: int) -> list[tuple[str, int]]:
    """The bars in at most `lines` rows: equal-width bins merge in pairs (still equal widths, each
    labelled by its start); top values keep the most frequent."""
    bars = list(stats.bars)
    if not stats.histogram:
        return bars[:lines]
    while len(bars) > lines and len(bars) > 2:
        bars = [(bars[i][0], sum(c for _, c in bars[i : i + 2])) for i in range(0, len(bars), 2)]
    return bars


class StatsPanel(Static):
    BORDER_TITLE = "Statistics"
    current: ColumnStats | None = None  # what is shown, for tests and screen readers
    _shown: tuple | None = None  # the arguments of show, to fit the bars again on a resize

    def show(self, field: str, stats: ColumnStats, note: str = "") -> None:
        self.current = stats
        self._shown = (field, stats, note)
        self.border_title = f"Statistics · {field}"
        self.border_subtitle = f"{compact(stats.rows)} rows"
        width, height = self.content_region.width or 40, self.content_region.height or 20
        facts = [f"null {stats.null_share:.1%}", f"distinct {stats.distinct_share:.1%}"]
        facts += [f"{k} {compact(v)}" for k, v in stats.numbers.items()]
        line = Text("\n".join(packed(facts, width)), style="bold")
        note_text = Text(note, style="dim") if note else None
        used = len(line.wrap(self.app.console, width)) + (
            len(note_text.wrap(self.app.console, width)) if note_text is not None else 0
        )
        bars = fitted(stats, max(2, height - used))
        labels = max((len(label[:18]) for label, _ in bars), default=0)
        room = max(4, min(BAR_WIDTH, width - labels - 9))  # the bars take what labels and shares leave
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        peak = max((c for _, c in bars), default=1) or 1
        for label, count in bars:
            length = count / peak * room
            bar = "█" * int(length) + ("▌" if length - int(length) >= 0.5 else "")
            table.add_row(label[:18], Text(bar, style="cyan"), f"{count / max(stats.rows, 1):.1%}")
        self.update(Group(*([note_text] if note_text else []), line, table))

    def on_resize(self) -> None:
        if self.current is not None and self._shown is not None:
            self.call_after_refresh(self.show, *self._shown)

    def show_children(self, entity: str, parent: str, per_parent: pl.Series) -> None:
        """A child entity: the histogram of its rows per parent row in the sample."""
        stats = column_stats(per_parent.cast(pl.Int64))
        if not stats.histogram:  # few distinct counts: in order of the count, not of how often
            stats = replace(stats, bars=sorted(stats.bars, key=lambda bar: int(bar[0])))
        self.show(f"{entity} per {parent}", stats, f"rows of {entity} under each {parent} row (first block)")
        self.border_subtitle = f"{compact(per_parent.len())} {parent} rows"

    def show_message(self, message: str) -> None:
        self.current = self._shown = None
        self.border_title, self.border_subtitle = "Statistics", ""
        self.update(Text(message, style="dim"))
