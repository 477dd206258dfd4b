"""Temporary names beside the target, renamed into place only when everything is written.

A temporary name carries its writer's host and pid (`.users.csv.4242@box.1f3a9c2e.part`):
a run killed with SIGKILL cannot clean up, so the next export to the same place removes
the temporary files whose process is gone.
"""

from __future__ import annotations

import glob
import os
import re
import socket
import uuid
from pathlib import Path

from ..errors import ExportError
from .base import Target

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
_OWNER = re.compile(r"\.(\d+)@([A-Za-z0-9-]+)\.[0-9a-f]{8}\.part$")


def temp_path(final: Path) -> Path:
    """A hidden name in the same directory, so the final rename is atomic."""
    remove_stale(final)
    return final.with_name(f".{final.name}.{os.getpid()}@{_HOST}.{uuid.uuid4().hex[:8]}.part")


def remove_stale(final: Path) -> None:
    """Remove temporary files for `final` left by dead processes of this host (other hosts may
    share the directory, and their pids mean nothing here)."""
    try:
        candidates = list(final.parent.glob(f".{glob.escape(final.name)}.*.part"))
    except OSError:
        return
    for path in candidates:
        owner = _OWNER.search(path.name)
        if owner and owner.group(2) == _HOST and not _alive(int(owner.group(1))):
            remove_quietly(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def ensure_dir(directory: Path, label: str) -> Path | None:
    """Create a directory if needed; return the topmost directory this run created (to remove
    on abort), or None when it already existed."""
    if directory.exists():
        if not directory.is_dir():
            raise ExportError(f"{label}: {directory} is not a directory")
        if not os.access(directory, os.W_OK):
            raise ExportError(f"{label}: cannot write in {directory} (permission denied)")
        return None
    top = directory
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    try:
        directory.mkdir(parents=True)
    except OSError as error:
        raise ExportError(f"{label}: cannot create {directory}: {error.strerror}") from None
    return top


def remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def layout(target: Target, tables: list[str], extension: str) -> tuple[dict[str, Path], Path]:
    """The file of each table and the directory they go in: `-o users.csv` names the one file,
    `-o out/` holds `out/<table><extension>` for each."""
    if target.options.get("single_file"):
        (table,) = tables
        return {table: target.path}, target.path.parent
    return {t: target.path / f"{t}{extension}" for t in tables}, target.path


class Staging:
    """The files of one export (one per table) and their temporary twins: all renamed into
    place on commit, or all removed on abort, together with the directories this run made."""

    def __init__(self, target: Target, finals: dict[str, Path], directory: Path, *, can_append: bool = False):
        self.finals = finals
        self.directory = directory
        existing = [p for p in finals.values() if p.exists()]
        for path in existing:
            if path.is_dir():
                raise ExportError(f"{path}: is a directory; name a file or remove it")
        if existing and target.if_exists == "fail":
            raise ExportError(f"{existing[0]}: exists; pass --if-exists replace to overwrite it")
        if target.if_exists == "append" and not can_append:
            raise ExportError(f"{target.location}: --if-exists append works for databases only; use replace or another target")
        self.created = ensure_dir(directory, target.location)
        self.temps = {name: temp_path(final) for name, final in finals.items()}

    def commit(self) -> None:
        for name, temp in self.temps.items():
            os.replace(temp, self.finals[name])
        self.temps = {}

    def abort(self) -> None:
        for temp in self.temps.values():
            remove_quietly(temp)
        if self.created is None:
            return
        directory = self.directory
        while True:  # only empty directories go: rmdir refuses the others
            try:
                directory.rmdir()
            except OSError:
                return
            if directory == self.created:
                return
            directory = directory.parent


def abort_fully(writer) -> None:
    """`writer.abort()` run to its end even when an interrupt lands in it: polars reports a Ctrl-C
    itself, and Python's handler for the same signal may then fire again during the clean-up."""
    for _ in range(100):  # not forever: someone holding Ctrl-C down still gets their prompt back
        try:
            writer.abort()
            return
        except KeyboardInterrupt:
            continue


def write_error(label: str, error: OSError) -> ExportError:
    """One line for a failed write: a full disk, a file size limit, a vanished directory."""
    reason = os.strerror(error.errno) if error.errno else " ".join(str(error).split())
    return ExportError(f"{label}: cannot write: {reason}")
