"""What the export commands print: the progress bar and the summary table."""

from __future__ import annotations


def progress_bar(console, *, quiet: bool, eta: bool):
    """One bar per entity on stderr: name, bar, rows done of total, rate, time taken, and (where the
    total is known ahead, as on one machine) the time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}")]
    columns.append(TimeElapsedColumn())
    if eta:
        columns += [TextColumn("eta"), TimeRemainingColumn()]
    return Progress(*columns, console=console, transient=False, disable=quiet)


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
