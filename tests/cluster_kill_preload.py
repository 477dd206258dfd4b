"""Test only: a Dask worker preload under which a worker dies (os._exit, as the kernel's OOM
killer would end it) the moment it starts a task whose key ends with $DESIGNER_TEST_KILL_TASK
(`write-users-1`). Loaded only by a test that names this file in DASK_DISTRIBUTED__WORKER__PRELOAD;
without that variable set, it does nothing."""

from __future__ import annotations

import os

from distributed.diagnostics.plugin import WorkerPlugin


class DieOnTask(WorkerPlugin):
    name = "designer-test-die-on-task"

    def __init__(self, suffix: str):
        self.suffix = suffix

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and str(key).endswith(self.suffix):
            os._exit(1)


async def dask_setup(worker) -> None:
    suffix = os.environ.get("DESIGNER_TEST_KILL_TASK")
    if suffix:
        await worker.plugin_add(DieOnTask(suffix))
