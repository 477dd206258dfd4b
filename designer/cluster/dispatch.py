"""The tasks of a partitioned export and the client loop that hands them to Dask as results come in.

A family without stateful `unique` fields is one write task per part, all submitted at once
(their arguments are small). A family with such fields goes through the unique pass: workers
draw the fields' inputs a few parts ahead (`WINDOW`), the client finishes them in block order and
submits each part's write with its patches. Writes carrying patches are capped in number, so
that neither the client nor the scheduler holds the patches of the whole dataset when workers
fall behind the pass.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine import Run
from ..engine.partition import Part, UniquePass, draw_inputs, part_frames
from ..engine.plan import Plan
from ..errors import Cancelled, ClusterFailure
from . import partfiles

WINDOW = 4  # parts of unique inputs drawn ahead of the pass, per family

_RUNS: dict[str, Run] = {}  # per worker process: the current export's run, its materialized columns


def _run_for(key: str, plan: Plan) -> Run:
    """One run per export per worker process, so references into other entities are materialized
    once per worker rather than once per part."""
    if key not in _RUNS:
        while len(_RUNS) >= 2:  # an older export on a long-lived cluster
            _RUNS.pop(next(iter(_RUNS)))
        _RUNS[key] = Run(plan)
    return _RUNS[key]


def draw_task(key: str, plan: Plan, part: Part) -> list:
    run = _run_for(key, plan)
    return [draw_inputs(run, part.root, index) for index in part.blocks]


def write_task(key: str, plan: Plan, part: Part, location: str, fmt: str, specs, patches: dict) -> list[dict]:
    run = _run_for(key, plan)
    return partfiles.write_part(location, fmt, specs, part.root, part.number, part_frames(run, part, patches))


@dataclass
class _Family:
    """A family with stateful unique fields: its parts in order, inputs in flight, the pass."""

    parts: list[Part]
    unique: UniquePass
    inflight: deque = field(default_factory=deque)  # (part, future) in part order
    ready: set = field(default_factory=set)  # keys of finished input futures
    submitted: int = 0


class Dispatch:
    def __init__(self, client, key: str, plan: Plan, location: str, fmt: str, specs: dict, skip: set[Part]):
        from dask.distributed import as_completed

        self.client, self.key, self.plan, self.location, self.fmt = client, key, plan, location, fmt
        self.specs, self.skip = specs, skip
        self.pending = as_completed()
        self.roles: dict = {}  # future key -> (kind, part, future)
        self.names: dict = {}  # future key -> what it does, for an error that names it
        self.families: dict[str, _Family] = {}
        self.patched = 0  # writes in flight that carry patches
        self.limit = 2 * max(1, len(client.nthreads())) + 2

    def _submit(self, kind: str, part: Part, fn, *args, priority: int = 0):
        future = self.client.submit(
            fn, self.key, self.plan, part, *args, priority=priority, key=f"{self.key}-{kind}-{part.root}-{part.number}"
        )
        self.roles[future.key] = (kind, part, future)
        files = partfiles.part_file(part.root, part.number, self.fmt)
        files += " and its descendants' part files" if len(self.specs[part.root]) > 1 else ""
        self.names[future.key] = (
            f"part {part.number} of {part.root} ({files})"
            if kind == "write"
            else f"drawing the unique fields of part {part.number} of {part.root}"
        )
        self.pending.add(future)
        return future

    def start(self, root: str, parts: list[Part], stateful: bool) -> None:
        if not stateful:
            for part in parts:
                if part not in self.skip:
                    self._submit("write", part, write_task, self.location, self.fmt, self.specs[root], {})
            return
        self.families[root] = _Family(parts, UniquePass(self.plan))
        self._drain(root)

    def _drain(self, root: str) -> None:
        """Feed the pass the next parts whose inputs are in, in order; draw more inputs."""
        family = self.families[root]
        while family.inflight and family.inflight[0][1].key in family.ready and self.patched < self.limit:
            part, future = family.inflight.popleft()
            family.ready.discard(future.key)
            patches = {}
            for block in future.result():
                patches.update(family.unique.feed(root, block))
            if part not in self.skip:  # kept parts still go through the pass: later blocks depend on them
                self._submit("write", part, write_task, self.location, self.fmt, self.specs[root], patches)
                self.patched += 1
        while family.submitted < len(family.parts) and len(family.inflight) < WINDOW:
            part = family.parts[family.submitted]
            family.inflight.append((part, self._submit("draw", part, draw_task, priority=10)))
            family.submitted += 1

    def run(self, on_written: Callable[[dict], None], cancelled: Callable[[], bool] | None = None) -> None:
        """Until every part is written; on failure, Ctrl-C or `cancelled()`, cancel what is still queued."""
        try:
            for future in self.pending:
                if cancelled and cancelled():
                    raise Cancelled()
                kind, part, _ = self.roles.pop(future.key)
                if kind == "draw":
                    self.families[part.root].ready.add(future.key)
                    self._drain(part.root)
                    continue
                for item in future.result():
                    on_written(item)
                if part.root in self.families:
                    self.patched -= 1
                    for root in self.families:
                        self._drain(root)
        except BaseException as error:
            self.client.cancel([f for _, _, f in self.roles.values()])
            from distributed import KilledWorker

            if isinstance(error, KilledWorker):
                raise lost(error, self.names.get(error.task, "a task")) from None
            raise


def outcome(future, what: str):
    """A task's result; a task that killed its workers as `lost`."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:
        raise lost(error, what) from None


def lost(error, what: str) -> ClusterFailure:
    """Dask's KilledWorker, a traceback that says nothing of the data, as one line that says what to do."""
    return ClusterFailure(
        f"--cluster: {what}: every worker that ran it died ({error.allowed_failures + 1} tries; "
        "out of memory, or killed): see the workers' logs and memory, then run the same command "
        "again to resume from the parts written"
    )
