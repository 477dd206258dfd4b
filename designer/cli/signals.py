"""Stopping an export from outside: Ctrl-C and SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager


@contextmanager
def signals_cancel():
    """SIGTERM (what `kill`, CI runners and container stops send) cancels like Ctrl-C: the writers
    remove their temporary files on the way out. Yields the signals received, for the export to
    check between blocks as well: a KeyboardInterrupt raised while a finalizer (`__del__`) runs is
    printed and dropped by Python, and the run would go on to the end."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield received
        return

    def stop(signum, frame):
        received.append(signum)
        # Not while a KeyboardInterrupt is being handled: a second signal must not cut the clean-up
        # short, and polars raises KeyboardInterrupt itself on Ctrl-C before Python calls this handler.
        if not isinstance(sys.exc_info()[1], KeyboardInterrupt):
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
