"""A writer that writes in a thread of its own, so the caller finishes the next block meanwhile.

pyarrow, polars, sqlite3 and psycopg release the GIL while they encode and write, so the writing
runs on another core. One thread and one FIFO queue keep the blocks in order. A failed write is
raised in the caller at its next `write` or at `commit`; `abort` interrupts a write in progress
(where the writer can: a database statement) and stops the thread before the wrapped writer
removes what it wrote, so nothing is written after the clean-up.
"""

from __future__ import annotations

import queue
import threading

import polars as pl

from .base import Written

_DONE = object()  # the last item of the queue: the thread ends
_WAKE_SECONDS = 0.1  # how often a waiting caller wakes up to take a signal


class InBackground:
    def __init__(self, writer, depth: int = 2):
        self.writer = writer
        self._queue: queue.Queue = queue.Queue(maxsize=depth)  # bounded: memory stays flat
        self._error: BaseException | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="designer-write", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is not None or self._stopping.is_set():
                continue  # keep taking items: a caller must never wait on a full queue
            try:
                self.writer.write(*item)
            except BaseException as error:  # handed to the caller, which aborts
                self._error = error

    def write(self, table: str, frame: pl.DataFrame) -> None:
        self._raise_failure()
        self._put((table, frame))

    def commit(self) -> list[Written]:
        self._end()
        self._raise_failure()
        return self.writer.commit()

    def abort(self) -> None:
        self._stopping.set()
        interrupt = getattr(self.writer, "interrupt", None)
        if interrupt is not None and self._thread.is_alive():
            # a write that waits (on a lock, a slow server) stops now: in the caller's thread, a
            # Ctrl-C used to break it off, and here it would only land in the join below
            interrupt()
        self._end()
        self.writer.abort()

    def _end(self) -> None:
        if self._thread.is_alive():
            self._put(_DONE)
            while self._thread.is_alive():
                self._thread.join(_WAKE_SECONDS)

    def _put(self, item) -> None:
        # Waits in short steps: a wait without a timeout was not woken by Ctrl-C while the
        # thread sat in a database wait, so the export could not be cancelled
        while True:
            try:
                return self._queue.put(item, timeout=_WAKE_SECONDS)
            except queue.Full:
                continue

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error
