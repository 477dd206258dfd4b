"""Blocks of a family in order, drawn by a thread of this process or spread over worker processes.

Whoever draws a block (`finish=False`), the calling thread finishes blocks in
block order (cross-block uniqueness), so the output is the same for any worker
count. With one worker, a background thread draws the next blocks while the
caller finishes and writes the current one: numpy and polars release the GIL
in their loops, so the two overlap on two cores without starting a process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager

from ..stops import ignore_stops, stops_ignored
from .blocks import FamilyBlock
from .plan import Plan
from .run import Run

_worker_run: Run | None = None


def _init(plan: Plan) -> None:
    global _worker_run
    ignore_stops()  # only the parent cancels (and cleans up)
    _worker_run = Run(plan)


def _draw(root: str, index: int) -> FamilyBlock:
    assert _worker_run is not None, "a worker draws only after _init"
    return _worker_run.family_block(root, index, finish=False)


@contextmanager
def _quiet_while_spawning(started: bool):
    """The first submit starts the workers: they inherit ignored SIGINT and SIGTERM, so a Ctrl-C
    that lands while one is still importing does not print its traceback (CPython keeps an
    inherited ignored SIGINT). Only the main thread may set handlers; the TUI exports from
    another thread, where no terminal signal reaches the workers anyway."""
    if started:
        yield
        return
    with stops_ignored():
        yield


def blocks_in_order(run: Run, root: str, workers: int = 1) -> Iterator[FamilyBlock]:
    count = run.blocks(root)
    if count <= 1:
        for index in range(count):
            yield run.family_block(root, index)
        return
    if workers <= 1:
        with ThreadPoolExecutor(1, thread_name_prefix="designer-draw") as pool:
            yield from _finished_in_order(run, root, count, pool, ahead=2, draw=_drawer(run, root))
        return
    # spawn, not fork: polars' thread pool does not survive a fork
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(run.plan,)) as pool:
        yield from _finished_in_order(run, root, count, pool, ahead=2 * workers, draw=_draw, spawning=True)


def _drawer(run: Run, root: str):
    def draw(_root: str, index: int) -> FamilyBlock:
        return run.family_block(root, index, finish=False)

    return draw


def _finished_in_order(
    run: Run, root: str, count: int, pool: Executor, ahead: int, draw, spawning: bool = False
) -> Iterator[FamilyBlock]:
    """Keep `ahead` blocks in flight (bounded: memory stays flat) and finish them in order."""
    pending: deque = deque()
    next_index = 0
    try:
        while next_index < count or pending:
            with _quiet_while_spawning(started=not spawning or next_index > 0):
                while next_index < count and len(pending) < ahead:
                    pending.append(pool.submit(draw, root, next_index))
                    next_index += 1
            yield run.finish(root, pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()
