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


def _stem(preset: str) -> str:
    from pathlib import Path

    return Path(preset).stem
