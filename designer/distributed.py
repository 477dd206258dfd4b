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
from contextlib import contextmanager
from dataclasses import dataclass

from . import __version__, partfiles
from .dispatch import Dispatch
from .engine import Run
from .engine.partition import part_rows, plan_parts, stateful_nodes
from .engine.plan import Plan
from .engine.seeding import BLOCK_ROWS
from .errors import Cancelled, ExportError
from .model import Design
from .pipeline import Progress, _chosen, _shapes, plan_for
from .schema import table_specs
from .versions import data_versions, mismatch

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
    cluster = None
    kind, _, count = spec.partition(":")
    if kind == "local":
        if count and not (count.isdigit() and int(count) >= 1):
            raise ExportError(f'--cluster "{spec}": use local, local:N with N a whole number >= 1, or a scheduler address')
        # No dashboard; the scheduler's bare HTTP routes (health) on a free loopback port, not a fixed 8787.
        with _workers_ignore_ctrl_c():
            cluster = dd.LocalCluster(n_workers=int(count or os.cpu_count() or 1), processes=True,
                                      threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                      silence_logs=logging.CRITICAL, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        client = dd.Client(cluster)
        from .cluster_workers import IgnoreCtrlC

        client.register_plugin(IgnoreCtrlC())  # before any task: no worker imports polars first
    else:
        try:
            client = dd.Client(spec, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise ExportError(f"--cluster {spec}: cannot reach the scheduler: {error}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """A terminal's Ctrl-C goes to every process of its group: worker processes started while
    SIGINT is ignored keep ignoring it (Python leaves an ignored SIGINT alone), so only this
    process handles it, cancels and closes the cluster, instead of each worker printing a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# ---- the client ----------------------------------------------------------------------------------

@dataclass
class ClusterResult:
    location: str
    rows: dict[str, int]
    manifest: dict
    parts: int = 0
    skipped: int = 0  # parts found complete from an earlier, interrupted run
    seconds: float = 0.0


def check_target(location: str, fmt: str, if_exists: str) -> None:
    """Refusals that need no cluster, so the CLI can make them before starting one."""
    if fmt not in PART_FORMATS:
        raise ExportError(f"--cluster writes part files: use --format parquet, csv, tsv or ndjson, not {fmt}")
    if if_exists == "append":
        raise ExportError(f"{location}: --if-exists append works for databases only; use replace or another target")


def fingerprint(plan: Plan, fmt: str, chosen: list[str], layout: dict, versions: dict[str, str]) -> str:
    """What makes two runs write the same files: resuming is only allowed between equal ones."""
    text = json.dumps({"design": plan.design.model_dump(mode="json"), "versions": versions, "format": fmt,
                       "entities": chosen, "parts": layout, "block_rows": BLOCK_ROWS}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def export(
    design: Design, location: str, fmt: str, client, *, rows: dict[str, int] | None = None,
    scale: float | None = None, seed: int | None = None, entities: list[str] | None = None,
    if_exists: str = "fail", preset_sha256: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ClusterResult:
    """Write every part not already complete, then the manifest; all parts or no manifest."""
    started = time.perf_counter()
    check_target(location, fmt, if_exists)
    location = location if partfiles.is_url(location) else os.path.abspath(location)  # workers' cwd is not ours
    plan = plan_for(design, rows=rows, scale=scale, seed=seed)
    chosen = _chosen(plan, entities)
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
    identity = {"designer": __version__, "versions": versions, "format": fmt, "seed": plan.design.design.seed, "preset_sha256": preset_sha256,
                "block_rows": BLOCK_ROWS, "rows": {r: plan.design.entities[r].rows or 0 for r in roots},
                "fingerprint": fingerprint(plan, fmt, chosen, layout, versions)}
    tables = table_specs(plan, _shapes(plan), chosen)
    specs = {r: [s for s in tables if plan.root_of(s.name) == r] for r in roots}
    totals = {e: run.total_rows(e) for e in chosen}
    key = f"designer-{identity['fingerprint'][:12]}-{uuid.uuid4().hex[:8]}"  # unique per run: no stale results

    done = client.submit(partfiles.prepare, location, fmt, identity, if_exists,
                         {files[k]: n for k, n in expected.items()}, key=f"{key}-prepare").result()
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
        written[item["file"]] = {"rows": item["rows"], "bytes": item["bytes"]}
        report(item["entity"], item["rows"])

    dispatch.run(on_written, cancelled)
    if cancelled and cancelled():  # a stop while the last part was written: still no manifest
        raise Cancelled()
    manifest = {**identity, "complete": True, "entities": [
        {"name": e, "rows": totals[e], "parts": [{"file": files[(p, e)], **written[files[(p, e)]]}
                                                 for r in roots for p in parts[r] if (p, e) in files]}
        for e in chosen]}
    client.submit(partfiles.finish, location, manifest, key=f"{key}-manifest").result()
    return ClusterResult(location, totals, manifest, len(of_part), len(skipped), time.perf_counter() - started)
