"""Partitioned export on a Dask cluster: the same rows as `pipeline.export`, as part files.

Each part (a range of a root entity's blocks with all its descendants, `engine.partition`) is a
task that writes its own files (`partfiles`); the client plans the parts, runs the sequential
unique pass where a family needs one, and hands out tasks (`dispatch`). It never touches the
storage, so it need not see it: preparing the target and the manifest are tasks too.

Dask is imported lazily, with an error that says what to install.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from .. import __version__
from ..engine import Run
from ..engine.partition import part_rows, plan_parts, stateful_nodes
from ..engine.plan import Plan
from ..engine.seeding import BLOCK_ROWS
from ..errors import Cancelled, ExportError
from ..model import Design
from ..pipeline import Progress, chosen_entities, column_shapes, plan_for
from ..schema import column_renames, table_specs
from ..versions import data_versions, mismatch
from . import partfiles
from .dispatch import Dispatch, outcome

PART_FORMATS = ("parquet", "csv", "tsv", "ndjson", "jsonl")


def _dask():
    try:
        import dask.distributed
    except ImportError:
        raise ExportError("--cluster needs Dask: pip install 'designer[dask]'") from None
    return dask.distributed


@contextmanager
def connect(spec: str) -> Iterator:
    """A client for `local`, `local:N` (a cluster of N worker processes started here, on
    127.0.0.1 only, no dashboard) or a scheduler address (`tcp://host:8786`)."""
    dd = _dask()
    kind, _, count = spec.partition(":")
    if kind != "local":
        try:
            client = dd.Client(spec, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise ExportError(f"--cluster {spec}: cannot reach the scheduler: {error}") from None
        with closing(client):
            yield client
        return
    if count and not (count.isdigit() and int(count) >= 1):
        raise ExportError(f'--cluster "{spec}": use local, local:N with N a whole number >= 1, or a scheduler address')
    opened: list = []  # the cluster, then its client: closed in the reverse order
    try:
        with _signals_held(start=True) as heard:
            _start_local(dd, int(count or os.cpu_count() or 1), opened)
        _replay(heard)  # a stop that came while the cluster started: raised now that it can be closed
        yield opened[-1]
    except BaseException:
        _close(opened)  # a stop heard while closing adds nothing to what is already raised
        raise
    _replay(_close(opened))


def _start_local(dd, workers: int, opened: list) -> None:
    # No dashboard; the scheduler's bare HTTP routes (health) on a free loopback port, not a fixed 8787.
    opened.append(
        dd.LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
    )
    opened.append(dd.Client(opened[0]))
    from .workers import IgnoreCtrlC

    opened[-1].register_plugin(IgnoreCtrlC())  # before any task: no worker imports polars first


def _close(opened: list) -> list[int]:
    """Close the client and the cluster, whole: a Ctrl-C meanwhile is noted, not raised halfway."""
    with _signals_held() as heard:
        while opened:
            opened.pop().close()
    return heard


_STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _signals_held(start: bool = False) -> Iterator[list[int]]:
    """Ctrl-C and SIGTERM noted, not raised, while a cluster starts or closes (raised there, they
    would leave worker processes behind), for `_replay` to raise once it is safe.

    A terminal's Ctrl-C goes to every process of its group, and only this one should handle it
    (cancel, close the cluster, one line) rather than each worker printing a traceback. So while
    the workers are started (`start`), SIGINT is also blocked in this thread: the threads that
    start them, and the worker processes, inherit the mask and keep it (a pending Ctrl-C is never
    delivered to them), while here the one that came is delivered when it is unblocked. Ignoring
    SIGINT instead, as the workers must, lost the user's Ctrl-C here. Python's resource tracker,
    which starts on the first worker's queue and unblocks SIGINT in the thread that starts it, is
    started first, before the mask."""
    heard: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # only the main thread has handlers
        yield heard
        return
    if start:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    previous = {s: signal.signal(s, lambda signum, frame: heard.append(signum)) for s in _STOPS}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if start else None
    try:
        yield heard
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C pending meanwhile is heard here
        for s, handler in previous.items():
            if handler is not None:  # None: a handler set outside Python, which cannot be put back
                signal.signal(s, handler)


def _replay(heard: list[int]) -> None:
    """The first stop heard, to the handler it was meant for (the CLI's: cancel; Python's: KeyboardInterrupt)."""
    if heard:
        signal.raise_signal(heard[0])


# ---- the client ----------------------------------------------------------------------------------


@dataclass
class ClusterResult:
    location: str
    rows: dict[str, int]
    manifest: dict
    parts: int = 0
    skipped: int = 0  # parts found complete from an earlier, interrupted run
    changed: list[str] = field(default_factory=list)  # its part files whose bytes had changed: written again
    seconds: float = 0.0


def check_target(location: str, fmt: str, if_exists: str) -> None:
    """Refusals that need no cluster, so the CLI can make them before starting one."""
    if fmt not in PART_FORMATS:
        raise ExportError(f"--cluster writes part files: use --format parquet, csv, tsv or ndjson, not {fmt}")
    if if_exists == "append":
        raise ExportError(f"{location}: --if-exists append works for databases only; use replace or another target")


def refuse_renames(design: Design, chosen: list[str]) -> None:
    """Part files are named and headed by the design's names: an entity's `table` or a field's
    `column` is refused rather than left out without a word."""
    for entity in chosen:
        renamed = column_renames(design, entity)
        if design.entities[entity].table or renamed:
            key = "table" if design.entities[entity].table else f"fields.{next(iter(renamed))}.column"
            raise ExportError(
                f"--cluster writes the design's names: entities.{entity}.{key} is not supported there; export without --cluster"
            )


def fingerprint(plan: Plan, fmt: str, chosen: list[str], layout: dict, versions: dict[str, str]) -> str:
    """What makes two runs write the same files: resuming is only allowed between equal ones."""
    text = json.dumps(
        {
            "design": plan.design.model_dump(mode="json"),
            "versions": versions,
            "format": fmt,
            "entities": chosen,
            "parts": layout,
            "block_rows": BLOCK_ROWS,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def export(
    design: Design,
    location: str,
    fmt: str,
    client,
    *,
    rows: dict[str, int] | None = None,
    scale: float | None = None,
    seed: int | None = None,
    entities: list[str] | None = None,
    if_exists: str = "fail",
    preset_sha256: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ClusterResult:
    """Write every part not already complete, then the manifest; all parts or no manifest."""
    started = time.perf_counter()
    check_target(location, fmt, if_exists)
    location = location if partfiles.is_url(location) else os.path.abspath(location)  # workers' cwd is not ours
    plan = plan_for(design, rows=rows, scale=scale, seed=seed)
    chosen = chosen_entities(plan, entities)
    refuse_renames(plan.design, chosen)
    run = Run(plan)
    roots = list(dict.fromkeys(plan.root_of(e) for e in chosen))
    parts = {r: plan_parts(run, r) for r in roots}
    expected = {(p, e): n for r in roots for p in parts[r] for e, n in part_rows(run, p).items() if e in chosen}
    files = {(p, e): partfiles.part_file(e, p.number, fmt) for p, e in expected}
    layout = {r: [[p.start, p.stop] for p in parts[r]] for r in roots}
    versions = data_versions()
    problem = mismatch(versions, client.run(data_versions))  # a real cluster's machines may differ
    if problem:
        raise ExportError(f"--cluster: {problem}")
    stamp = fingerprint(plan, fmt, chosen, layout, versions)
    identity = {
        "designer": __version__,
        "versions": versions,
        "format": fmt,
        "seed": plan.design.info.seed,
        "preset_sha256": preset_sha256,
        "block_rows": BLOCK_ROWS,
        "rows": {r: plan.design.entities[r].rows or 0 for r in roots},
        "fingerprint": stamp,
    }
    tables = table_specs(plan, column_shapes(plan), chosen)
    specs = {r: [s for s in tables if plan.root_of(s.name) == r] for r in roots}
    totals = {e: run.total_rows(e) for e in chosen}
    key = f"designer-{stamp[:12]}-{uuid.uuid4().hex[:8]}"  # unique per run: no stale results

    found = outcome(
        client.submit(
            partfiles.prepare,
            location,
            fmt,
            identity,
            if_exists,
            {files[k]: n for k, n in expected.items()},
            key=f"{key}-prepare",
        ),
        "preparing the target",
    )
    done = found["done"]
    if cancelled and cancelled():  # a stop while the target was prepared
        raise Cancelled()
    of_part = {p: [files[(p, e)] for e in chosen if (p, e) in files] for r in roots for p in parts[r]}
    skipped = {p for p, names in of_part.items() if all(n in done for n in names)}  # a part is all its files
    written = {n: done[n] for p in skipped for n in of_part[p]}
    progress = dict.fromkeys(chosen, 0)

    def report(entity: str, count: int) -> None:
        progress[entity] += count
        if on_progress:
            on_progress(Progress(entity, progress[entity], totals[entity]))

    for entity in chosen:
        report(entity, sum(n for (p, e), n in expected.items() if e == entity and p in skipped))
    dispatch = Dispatch(client, key, plan, location, fmt, specs, skipped)
    for root in roots:
        dispatch.start(root, parts[root], bool(stateful_nodes(plan, root)))

    def on_written(item: dict) -> None:
        written[item["file"]] = {k: item[k] for k in ("rows", "bytes", "sha256")}
        report(item["entity"], item["rows"])

    dispatch.run(on_written, cancelled)
    if cancelled and cancelled():  # a stop while the last part was written: still no manifest
        raise Cancelled()
    manifest = {
        **identity,
        "complete": True,
        "entities": [
            {
                "name": e,
                "rows": totals[e],
                "parts": [{"file": files[(p, e)], **written[files[(p, e)]]} for r in roots for p in parts[r] if (p, e) in files],
            }
            for e in chosen
        ],
    }
    result = ClusterResult(
        location, totals, manifest, len(of_part), len(skipped), found["changed"], time.perf_counter() - started
    )
    _commit(client.submit(partfiles.finish, location, manifest, key=f"{key}-manifest"))
    return result


def _commit(future) -> None:
    """Wait for the manifest. A stop that comes once its task runs cannot undo it: the task is
    waited for, and a manifest it wrote is a finished export, reported as one (not as 'no
    manifest written' beside a complete `_manifest.json`); otherwise the stop is raised."""
    try:
        outcome(future, "writing the manifest")
    except BaseException:
        try:
            future.result(timeout=COMMIT_WAIT)
        except Exception:  # its failure, or no answer in time: the stop stands, with what stopped the wait
            pass
        if future.status != "finished":
            raise


COMMIT_WAIT = 30  # seconds a stopped run waits to learn whether its manifest was written (milliseconds, usually)
