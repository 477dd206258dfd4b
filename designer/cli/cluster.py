"""`designer export --cluster`: part files written by Dask workers, a progress bar fed as parts finish."""

from __future__ import annotations

import hashlib
import signal
import sys
import time
from pathlib import Path

from ..errors import Cancelled, DesignerError
from ..summary import human_size
from .console import progress_bar, summary_table
from .options import ExportOptions, parse_rows
from .signals import signals_cancel


def _target(output: str | None, fmt: str | None, workers: int) -> tuple[str, str]:
    """The directory (or object-store prefix) from `-o`, and the format; one clear error when they cannot take parts."""
    if workers != 1:
        raise DesignerError("--workers and --cluster do not mix: --cluster local:N starts N worker processes")
    if output is None or output == "-" or output.startswith(("postgresql://", "postgres://", "mysql://", "mariadb://")):
        raise DesignerError("--cluster writes part files: give -o a directory (out/) or an object-store URL (s3://bucket/prefix)")
    if fmt is None:
        raise DesignerError(f"{output}: --cluster needs --format parquet, csv, tsv or ndjson")
    if "://" not in output and Path(output).exists() and not Path(output).is_dir():
        raise DesignerError(f"{output}: --cluster writes a directory of part files, and this is a file")
    return output.rstrip("/\\") or ".", fmt


def _sha256(preset: str) -> str | None:
    path = Path(preset)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def run_cluster_export(options: ExportOptions) -> None:
    from rich.console import Console

    from .. import cluster, presets

    quiet, address = options.quiet, options.cluster or "local"
    design = presets.load(options.preset)
    location, fmt = _target(options.output, options.fmt, options.workers)
    cluster.check_target(location, fmt, options.if_exists)
    roots = [n for n, e in design.entities.items() if e.parent is None]
    row_overrides = parse_rows(options.rows, roots)
    console = Console(stderr=True, quiet=quiet)
    bar = progress_bar(console, quiet=quiet, eta=False)
    tasks: dict[str, int] = {}
    started: list[float] = []

    def on_progress(p) -> None:
        started[:] = started or [time.perf_counter()]
        if p.entity not in tasks:
            tasks[p.entity] = bar.add_task(p.entity, total=p.total, rate="")
        elapsed = max(time.perf_counter() - started[0], 1e-9)
        bar.update(tasks[p.entity], completed=p.done, rate=f"{p.done / elapsed:,.0f} rows/s" if p.done else "")

    result = None
    with signals_cancel() as stopped:  # SIGTERM as Ctrl-C: queued parts cancelled, the cluster closed
        try:
            with cluster.connect(address) as client:
                if not quiet:
                    console.print(f"cluster {address}: {len(client.nthreads())} workers", style="dim")
                with bar:
                    result = cluster.export(
                        design,
                        location,
                        fmt,
                        client,
                        rows=row_overrides,
                        scale=options.scale,
                        seed=options.seed,
                        entities=list(options.entities) or None,
                        if_exists=options.if_exists,
                        preset_sha256=_sha256(options.preset),
                        on_progress=on_progress,
                        cancelled=lambda: bool(stopped),
                    )
        except (KeyboardInterrupt, Cancelled):
            if result is None:  # else the stop came while the cluster closed: the export is complete
                _remove_temps(address, location, fmt)
                print("designer: export cancelled; no manifest written; the same command resumes it", file=sys.stderr)
                sys.exit(128 + (stopped[0] if stopped else signal.SIGINT))
        except DesignerError:  # a part that killed its workers, too, left their temporary files
            _remove_temps(address, location, fmt)
            raise
    if not quiet:
        _summary(console, design, location, result)


def _remove_temps(address: str, location: str, fmt: str) -> None:
    if address.split(":")[0] == "local":  # its workers are gone now: nothing still writes
        from ..cluster.partfiles import remove_temps

        remove_temps(location, fmt)


def _summary(console, design, location: str, result) -> None:
    table = summary_table(
        design.info.name,
        sum(result.rows.values()),
        result.seconds,
        result.manifest["seed"],
        ("entity", "rows", "parts", "written to", "size"),
    )
    for item in result.manifest["entities"]:
        sizes = [p["bytes"] for p in item["parts"]]
        size = None if None in sizes else sum(sizes)
        table.add_row(item["name"], f"{item['rows']:,}", str(len(item["parts"])), f"{location}/{item['name']}/", human_size(size))
    console.print(table)
    if result.skipped:
        console.print(f"resumed: {result.skipped} of {result.parts} parts were complete and kept", soft_wrap=True)
    if result.changed:
        console.print(f"redone: {', '.join(result.changed)} changed since written (SHA-256 differs)", soft_wrap=True)
    console.print(f"manifest: {location}/_manifest.json", style="dim", soft_wrap=True)
