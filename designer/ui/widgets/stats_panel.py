"""Statistics of the selected field over a sample of rows: histogram or top values, nulls, distinct, moments."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ...stats import ColumnStats

BAR_WIDTH = 24


class StatsPanel(Static):
    BORDER_TITLE = "Statistics"
    current: ColumnStats | None = None  # what is shown, for tests and screen readers

    def show(self, field: str, stats: ColumnStats) -> None:
        self.current = stats
        self.border_title = f"Statistics · {field} · {stats.rows:,} rows"
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        peak = max((c for _, c in stats.bars), default=1) or 1
        for label, count in stats.bars:
            width = count / peak * BAR_WIDTH
            bar = "█" * int(width) + ("▌" if width - int(width) >= 0.5 else "")
            table.add_row(label[:18], Text(bar, style="cyan"), f"{count / max(stats.rows, 1):.1%}")
        facts = [f"null {stats.null_share:.1%}", f"distinct {stats.distinct_share:.1%}"]
        facts += [f"{k} {v:,.4g}" for k, v in stats.numbers.items()]
        grid = Table.grid()
        grid.add_row(table)
        grid.add_row(Text("  ".join(facts), style="bold"))
        self.update(grid)

    def show_message(self, message: str) -> None:
        self.current = None
        self.border_title = "Statistics"
        self.update(Text(message, style="dim"))
