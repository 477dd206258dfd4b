"""The commit marker of a directory export: `.designer-export.json` lists the files of the last
export with their sizes and SHA-256, and says whether its commit finished.

A directory's files are renamed into place one after the other, so a run killed between two
renames leaves old and new tables side by side. The commit therefore writes the marker twice, each
time under a temporary name renamed into place: `"state": "committing"` before the first rename,
`"state": "complete"` after the last. A marker still committing, or files that differ from what it
lists, is a directory that does not hold one whole export. The content depends on the data only
(no times, no pids), so the same preset and seed give the same marker.

Commits to one directory take turns through `.designer-export.lock` (created exclusively, naming
its process): one export checks the directory and renames its files while the other waits, then
finds the files changed and refuses.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import ExportError

NAME = ".designer-export.json"
LOCK = ".designer-export.lock"
LOCK_WAIT_SECONDS = 30.0  # a commit is renames and two small writes: another one never holds it long


def entries(files: dict[str, Path]) -> dict[str, dict]:
    """{final file name: size and sha256}, from the files about to be renamed (`files`: final name -> temp)."""
    out = {}
    for name, path in sorted(files.items()):
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        out[name] = {"size": path.stat().st_size, "sha256": digest}
    return out


def write(directory: Path, state: str, listed: dict[str, dict]) -> None:
    from .atomic import temp_path  # atomic imports this module

    text = json.dumps({"designer_export": 1, "state": state, "files": listed}, indent=2, sort_keys=True) + "\n"
    temp = temp_path(directory / NAME)
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, directory / NAME)


def problem(directory: Path, *, hashes: bool) -> str | None:
    """What is wrong with the directory's last export, in a few words, or None when it is whole
    (or there is no marker). Sizes are always compared; contents only with `hashes`."""
    path = directory / NAME
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
        state, listed = marker["state"], marker["files"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return f"{NAME} is unreadable"
    if state != "complete":
        return "an earlier export was cut off during its commit (old and new files are mixed)"
    for name, expected in sorted(listed.items()):
        file = directory / name
        try:
            size = file.stat().st_size
        except OSError:
            return f"{name}, listed in {NAME}, is missing"
        if size != expected.get("size") or (hashes and entries({name: file})[name]["sha256"] != expected.get("sha256")):
            return f"{name} differs from what {NAME} lists (changed since that export)"
    return None


@contextmanager
def commit_lock(directory: Path, label: str):
    """Held while one export commits into `directory`; a lock left by a dead process of this host is
    taken over (a SIGKILL during a commit), one held by a live process is waited for."""
    from .atomic import _HOST as HOST  # atomic imports this module
    from .atomic import _alive as alive

    lock = directory / LOCK
    me = f"{os.getpid()}@{HOST}"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _owner(lock)
            pid, _, host = owner.partition("@")
            if host == HOST and pid.isdigit() and not alive(int(pid)):
                _unlink(lock)
                continue
            if time.monotonic() > deadline:
                raise ExportError(
                    f"{label}: another export ({owner or 'unknown'}) is committing here; if none runs, remove {lock}"
                ) from None
            time.sleep(0.05)
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(me)
        break
    try:
        yield
    finally:
        _unlink(lock)


def _owner(lock: Path) -> str:
    try:
        return lock.read_text().strip()
    except OSError:
        return ""


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
