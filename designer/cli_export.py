"""`designer export`: options, a rich progress bar on stderr, and the summary."""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager

from .errors import Cancelled, DesignerError, ReaderGone
from .model.limits import MAX_ROWS


def parse_rows(values: tuple[str, ...], roots: list[str]) -> dict[str, int]:
    """`--rows 500` sets every root entity; `--rows users=500` one of them."""
    rows: dict[str, int] = {}
    for value in values:
        name, _, count = value.rpartition("=")
        try:
            number = int(count)
        except ValueError:
            raise DesignerError(f'--rows "{value}": give N or ENTITY=N with N a whole number') from None
        if number < 0:
            raise DesignerError(f'--rows "{value}": rows cannot be negative')
        if number > MAX_ROWS:
            raise DesignerError(f'--rows "{value}": at most {MAX_ROWS:,} rows per entity')
        for entity in [name] if name else roots:
            rows[entity] = number
    return rows


def human_size(size: int | None) -> str:
    if size is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def run_export(preset, output, fmt, rows, scale, seed, entities, workers, if_exists, quiet, options=None) -> None:
    with _signals_cancel() as stopped:
        try:
            _export(preset, output, fmt, rows, scale, seed, entities, workers, if_exists, quiet, options or {}, stopped)
        except (KeyboardInterrupt, Cancelled):
            print("designer: export cancelled; nothing was written", file=sys.stderr)
            sys.exit(128 + (stopped[0] if stopped else signal.SIGINT))


@contextmanager
def _signals_cancel():
    """SIGTERM (what `kill`, CI runners and container stops send) cancels like Ctrl-C: the writers
    remove their temporary files on the way out. Yields the signals received, for the export to
    check between blocks as well: a KeyboardInterrupt raised while a finalizer (`__del__`) runs is
    printed and dropped by Python, and the run would go on to the end."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield received
        return

    def stop(signum, frame):
        received.append(signum)
        # Not while a KeyboardInterrupt is being handled: a second signal must not cut the clean-up
        # short, and polars raises KeyboardInterrupt itself on Ctrl-C before Python calls this handler.
        if not isinstance(sys.exc_info()[1], KeyboardInterrupt):
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _export(preset, output, fmt, rows, scale, seed, entities, workers, if_exists, quiet, options: dict,
            stopped: list[int]) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from . import pipeline, presets
    from .writers import resolve_target, with_options

    design = presets.load(preset)
    roots = [n for n, e in design.entities.items() if e.parent is None]
    row_overrides = parse_rows(rows, roots)
    chosen = list(entities) or None
    default_name = design.design.name if design.design.name != "untitled" else _stem(preset)
    target = with_options(resolve_target(output, fmt, default_name, len(chosen or design.entities), if_exists), **options)
    quiet = quiet or target.location == "-"  # stdout carries the data; stderr stays silent but for errors
    console = Console(stderr=True, quiet=quiet)
    bar = Progress(
        TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=console, transient=False, disable=quiet,
    )
    tasks: dict[str, int] = {}
    started: dict[str, float] = {}

    def on_progress(p) -> None:
        import time

        if p.finishing:
            tasks[""] = bar.add_task("finishing", total=None, rate="")
            return
        if not tasks:  # started by the first report, after the target has been opened: an error
            bar.start()  # found before then is the only line printed
        if p.entity not in tasks:
            tasks[p.entity] = bar.add_task(p.entity, total=p.total, rate="")
            started[p.entity] = time.perf_counter()
        elapsed = max(time.perf_counter() - started[p.entity], 1e-9)
        bar.update(tasks[p.entity], completed=p.done, rate=f"{p.done / elapsed:,.0f} rows/s" if p.done else "")

    try:
        result = pipeline.export(
            design, target, rows=row_overrides, scale=scale, seed=seed, entities=chosen,
            workers=workers, on_progress=on_progress, cancelled=lambda: bool(stopped),
        )
    except ReaderGone:
        # Nothing to say to a reader that left; stdout points at /dev/null so that Python's last
        # flush at exit does not complain about the closed pipe either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ReaderGone.exit_code)
    finally:
        if "" in tasks:  # done or stopped: the summary or one line says which
            bar.remove_task(tasks[""])
        if tasks:
            bar.stop()
    if quiet:
        return
    # A database holds every table in one file: its size is the file's, said once under the table.
    shared = [w for w in result.written if "#" in w.location and w.bytes is not None]
    columns = ("entity", "rows", "written to") + (() if shared else ("size",))
    used_seed = seed if seed is not None else design.design.seed
    table = summary_table(design.design.name, sum(result.rows.values()), result.seconds, used_seed, columns)
    if shared:
        table.caption = ", ".join(f"{w.location.split('#')[0]}: {human_size(w.bytes)}" for w in shared)
        table.caption_justify = "left"
    for item in result.written:
        cells = [item.table, f"{item.rows:,}", item.location] + ([] if shared else [human_size(item.bytes)])
        table.add_row(*cells)
    console.print(table)
    for item in result.written:
        if item.note:  # what a replace dropped or repaired, after the table so it is not missed
            console.print(item.note, markup=False, highlight=False, soft_wrap=True)


def summary_table(name: str, total: int, seconds: float, seed: int, columns: tuple[str, ...]):
    """The table an export ends with: what was written, under a title with the totals."""
    from rich.table import Table

    table = Table(title=f"{name}: {total:,} rows in {seconds:.2f}s ({total / max(seconds, 1e-9):,.0f} rows/s), seed {seed}",
                  title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in ("rows", "parts", "size") else "left")
    return table


def _stem(preset: str) -> str:
    from pathlib import Path

    return Path(preset).stem
