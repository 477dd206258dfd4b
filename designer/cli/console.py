"""What the export commands print: the summary table."""

from __future__ import annotations


def summary_table(name: str, total: int, seconds: float, seed: int, columns: tuple[str, ...]):
    """The table an export ends with: what was written, under a title with the totals."""
    from rich.table import Table

    table = Table(
        title=f"{name}: {total:,} rows in {seconds:.2f}s ({total / max(seconds, 1e-9):,.0f} rows/s), seed {seed}",
        title_justify="left",
    )
    for column in columns:
        table.add_column(column, justify="right" if column in ("rows", "parts", "size") else "left")
    return table
