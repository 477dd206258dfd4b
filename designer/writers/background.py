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
from collections.abc import Callable

import polars as pl

from ..errors import Cancelled
from .base import Written

_DONE = object()  # the last item of the queue: the thread ends
_COMMIT = object()  # commit in the thread too: building keys and indexes takes seconds at 10M rows
_WAKE_SECONDS = 0.1  # how often a waiting caller wakes up to take a signal
_SEVER_AFTER_SECONDS = 1.0  # an interrupted write still waiting then is cut off (a frozen server)


class InBackground:
    def __init__(self, writer, depth: int = 2):
        self.writer = writer
        self._queue: queue.Queue = queue.Queue(maxsize=depth)  # bounded: memory stays flat
        self._error: BaseException | None = None
        self._written: list[Written] | None = None  # set when the wrapped commit has returned
        self._stopping = threading.Event()
        # Waited on instead of Thread.join: a join that Ctrl-C interrupts marks the thread stopped
        # while it still runs (CPython 3.11), and the clean-up then closed a database in use
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="designer-write", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._take_items()
        finally:
            self._finished.set()

    def _take_items(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is not None or self._stopping.is_set():
                continue  # keep taking items: a caller must never wait on a full queue
            try:
                if item is _COMMIT:
                    self._written = self.writer.commit()
                else:
                    self.writer.write(*item)
            except BaseException as error:  # handed to the caller, which aborts
                self._error = error

    def write(self, table: str, frame: pl.DataFrame) -> None:
        self._raise_failure()
        self._put((table, frame))

    def commit(self, cancelled: Callable[[], bool] | None = None) -> list[Written]:
        """The wrapped writer's commit, run in the thread: the caller waits in short steps, so a
        Ctrl-C or `cancelled()` during a long commit (an index built, a table's keys checked)
        is taken. The writer is then interrupted and waited for: a commit it could no longer
        stop (the rename done) is a finished export, reported as one; otherwise the stop is
        raised (Cancelled, KeyboardInterrupt) and the caller aborts."""
        self._put(_COMMIT)
        try:
            self._end(cancelled)
        except BaseException:
            self._stop_and_wait()
            if self._written is not None and self._error is None:
                return self._written
            raise
        self._raise_failure()
        assert self._written is not None, "commit() after abort()"  # else the thread took the commit before it ended
        return self._written

    def abort(self) -> None:
        self._stop_and_wait()
        self.writer.abort()

    def _stop_and_wait(self) -> None:
        self._stopping.set()
        interrupt = getattr(self.writer, "interrupt", None)
        if interrupt is not None and not self._finished.is_set():
            # a write that waits (on a lock, a slow server) stops now: in the caller's thread, a
            # Ctrl-C used to break it off, and here it would only land in the wait below
            interrupt()
            sever = getattr(self.writer, "sever", None)
            if sever is not None and not self._finished.wait(_SEVER_AFTER_SECONDS):
                sever()  # the server did not act on the interrupt (frozen, unreachable): its socket is shut
        self._end()

    def _end(self, cancelled: Callable[[], bool] | None = None) -> None:
        if not self._finished.is_set():
            self._put(_DONE)
            while not self._finished.wait(_WAKE_SECONDS):
                if cancelled is not None and cancelled():
                    raise Cancelled()

    def _put(self, item) -> None:
        # Waits in short steps: a wait without a timeout was not woken by Ctrl-C while the
        # thread sat in a database wait, so the export could not be cancelled
        while not self._finished.is_set():  # nobody takes items any more: nothing to wait for
            try:
                return self._queue.put(item, timeout=_WAKE_SECONDS)
            except queue.Full:
                continue

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error
