"""Ignoring a terminal's Ctrl-C and kill in processes that must not handle them: one home for the
headless code (the CLI's own handlers, which cancel and clean up, are in cli/signals.py).

A terminal's Ctrl-C goes to every process of its group. Only the process that started an export
may cancel it and clean up; a worker that took the signal too would raise KeyboardInterrupt in
the middle of a block or a write and print its own traceback.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

STOPS = (signal.SIGINT, signal.SIGTERM)


def ignore_stops(signals: Iterable[signal.Signals] = STOPS) -> None:
    """For good, in a worker process: these signals are ignored (a pending one is dropped)."""
    for signum in signals:
        signal.signal(signum, signal.SIG_IGN)


@contextmanager
def stops_ignored(signals: Iterable[signal.Signals] = STOPS) -> Iterator[None]:
    """While the block runs, in this process: ignored, then the handlers before are put back. A
    process started meanwhile inherits the ignored dispositions (CPython keeps an inherited
    ignored SIGINT). Only the main thread may set handlers: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler set outside Python, which cannot be put back
                signal.signal(signum, handler)
