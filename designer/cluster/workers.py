"""What the worker processes of a `local` cluster need before their first task.

Imported only once Dask is known to be installed (it subclasses Dask's plugin class).
"""

from __future__ import annotations

import signal

from distributed.diagnostics.plugin import WorkerPlugin

from ..stops import ignore_stops


class IgnoreCtrlC(WorkerPlugin):
    """A terminal's Ctrl-C goes to every process of its group; only the client should handle it
    (cancel, clean up, one line). The workers start with SIGINT blocked (`run._signals_held`),
    and importing polars installs polars' own SIGINT handler; should anything unblock it, a
    worker would raise KeyboardInterrupt in the middle of a write and print its traceback. So:
    import polars first, then ignore SIGINT, which also drops one still pending. The setup runs
    on the worker's event loop, in its main thread, where handlers may be set."""

    name = "designer-ignore-ctrl-c"

    def setup(self, worker) -> None:
        import polars  # noqa: F401  (its import is what installs the handler undone here)

        ignore_stops([signal.SIGINT])
