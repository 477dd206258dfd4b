"""Blocks of a family in order, generated in this process or spread over worker processes.

Workers draw blocks (`finish=False`); the main process finishes them in block
order (cross-block uniqueness), so the output is the same for any worker count.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from .plan import Plan
from .run import FamilyBlock, Run

_worker_run: Run | None = None


def _init(plan: Plan) -> None:
    global _worker_run
    # Ctrl-C in a terminal reaches the whole process group: only the parent cancels (and cleans
    # up); a worker that took the signal too would print its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _worker_run = Run(plan)


def _draw(root: str, index: int) -> FamilyBlock:
    return _worker_run.family_block(root, index, finish=False)


@contextmanager
def _quiet_while_spawning(started: bool):
    """The first submit starts the workers: they inherit ignored SIGINT and SIGTERM, so a Ctrl-C
    that lands while one is still importing does not print its traceback (CPython keeps an
    inherited ignored SIGINT). Only the main thread may set handlers; the TUI exports from
    another thread, where no terminal signal reaches the workers anyway."""
    if started or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def blocks_in_order(run: Run, root: str, workers: int = 1) -> Iterator[FamilyBlock]:
    count = run.blocks(root)
    if workers <= 1 or count <= 1:
        for index in range(count):
            yield run.family_block(root, index)
        return
    # spawn, not fork: polars' thread pool does not survive a fork
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(run.plan,)) as pool:
        pending: deque = deque()
        next_index = 0
        try:
            while next_index < count or pending:
                with _quiet_while_spawning(started=next_index > 0):
                    while next_index < count and len(pending) < 2 * workers:  # bounded: memory stays flat
                        pending.append(pool.submit(_draw, root, next_index))
                        next_index += 1
                yield run.finish(root, pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
