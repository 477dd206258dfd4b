"""Blocks of a family in order, generated in this process or spread over worker processes.

Workers draw blocks (`finish=False`); the main process finishes them in block
order (cross-block uniqueness), so the output is the same for any worker count.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from .plan import Plan
from .run import FamilyBlock, Run

_worker_run: Run | None = None


def _init(plan: Plan) -> None:
    global _worker_run
    _worker_run = Run(plan)


def _draw(root: str, index: int) -> FamilyBlock:
    return _worker_run.family_block(root, index, finish=False)


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
                while next_index < count and len(pending) < 2 * workers:  # bounded: memory stays flat
                    pending.append(pool.submit(_draw, root, next_index))
                    next_index += 1
                yield run.finish(root, pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
