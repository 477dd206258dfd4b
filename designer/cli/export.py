"""`designer export`: options, a rich progress bar on stderr, and the summary."""

from __future__ import annotations

import os
import signal
import sys

from ..errors import Cancelled, ReaderGone
from ..summary import human_size
from .console import progress_bar, summary_table
from .options import ExportOptions, parse_rows
from .signals import signals_cancel


def run_export(options: ExportOptions) -> None:
    with signals_cancel() as stopped:
        try:
            _export(options, stopped)
        except (KeyboardInterrupt, Cancelled):
            print("designer: export cancelled; nothing was written", file=sys.stderr)
            sys.exit(128 + (stopped[0] if stopped else signal.SIGINT))


def _export(options: ExportOptions, stopped: list[int]) -> None:
    from rich.console import Console

    from .. import pipeline, presets
    from ..writers import resolve_target, with_options

    design = presets.load(options.preset)
    roots = [n for n, e in design.entities.items() if e.parent is None]
    row_overrides = parse_rows(options.rows, roots)
    chosen = list(options.entities) or None
    default_name = design.info.name if design.info.name != "untitled" else _stem(options.preset)
    target = resolve_target(options.output, options.fmt, default_name, len(chosen or design.entities), options.if_exists)
    target = with_options(target, **options.writer_options)
    quiet = options.quiet or target.location == "-"  # stdout carries the data; stderr stays silent but for errors
    console = Console(stderr=True, quiet=quiet)
    bar = progress_bar(console, quiet=quiet, eta=True)
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
            design,
            target,
            rows=row_overrides,
            scale=options.scale,
            seed=options.seed,
            entities=chosen,
            workers=options.workers,
            on_progress=on_progress,
            cancelled=lambda: bool(stopped),
            constraints=not options.no_constraints,
            dirt_report=options.dirt_report,
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
    used_seed = options.seed if options.seed is not None else design.info.seed
    table = summary_table(design.info.name, sum(result.rows.values()), result.seconds, used_seed, columns)
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


def run_dry_run(options: ExportOptions) -> None:
    """What the export would write (rows per entity, size and time measured on a sample block
    written to a temporary place), with the target checked as the export checks it; nothing is
    written there."""
    from rich.console import Console
    from rich.table import Table

    from .. import presets
    from ..estimate import estimate
    from ..writers import resolve_target
    from .estimates import expected_rows, measured_line

    design = presets.load(options.preset)
    roots = [n for n, e in design.entities.items() if e.parent is None]
    chosen = list(options.entities) or None
    default_name = design.info.name if design.info.name != "untitled" else _stem(options.preset)
    target = resolve_target(options.output, options.fmt, default_name, len(chosen or design.entities), options.if_exists)
    expected = estimate(
        design, rows=parse_rows(options.rows, roots), scale=options.scale, seed=options.seed, entities=chosen, fmt=target.format
    )
    rows = expected_rows(expected)
    sized = expected.seconds is not None
    table = Table(title=f"{design.info.name}: dry run, nothing written", title_justify="left")
    for column in ("entity", "rows") + (("size",) if sized else ()):
        table.add_column(column, justify="right" if column == "size" else "left")
    for e in expected.entities:
        table.add_row(e.name, rows[e.name], *([human_size(e.bytes)] if sized else []))
    console = Console(stderr=target.location == "-")  # stdout is the data's, even when there is none
    console.print(table)
    console.print(f"would write {target.shown}", markup=False, highlight=False, soft_wrap=True)
    console.print(measured_line(expected), markup=False, highlight=False, soft_wrap=True)


def _stem(preset: str) -> str:
    from pathlib import Path

    return Path(preset).stem
