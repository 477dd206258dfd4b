"""Temporary names beside the target, renamed into place only when everything is written.

A temporary name carries its writer's host and pid (`.users.csv.4242@box.1f3a9c2e.part`):
a run killed with SIGKILL cannot clean up, so the next export to the same place removes
the temporary files whose process is gone.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import re
import socket
import sys
import uuid
from pathlib import Path

from ..errors import ExportError
from . import marker as _marker
from .base import Target, Written

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


def staging_for(target: Target, tables: list[str], extension: str) -> Staging:
    """The files of a file writer, with a commit marker for a directory of them."""
    return Staging(target, *layout(target, tables, extension), marker=not target.options.get("single_file"))


def written_files(staging: Staging, rows: dict[str, int]) -> list[Written]:
    """What a file writer reports: each file with its size, the staging's note with the first."""
    return [
        Written(t, rows[t], str(f), f.stat().st_size, staging.note if i == 0 else None)
        for i, (t, f) in enumerate(staging.finals.items())
    ]


def identity(path: Path) -> tuple[int, int, int, int] | None:
    """What says a file is still the one seen before: device, inode, size, mtime (None: absent)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_RENAMEAT2 = _renameat2()
_AT_FDCWD, _RENAME_NOREPLACE = -100, 1


def rename_noreplace(source: Path, final: Path) -> None:
    """Rename, but never over an existing file (FileExistsError): renameat2(RENAME_NOREPLACE) where
    the system has it, else a hard link and an unlink (the portable way, atomic as well)."""
    if _RENAMEAT2 is not None:
        if _RENAMEAT2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(final), _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), str(final))
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):  # else: this file system cannot
            raise OSError(code, os.strerror(code), str(final))
    os.link(source, final)
    os.unlink(source)


class Staging:
    """The files of one export (one per table) and their temporary twins: all renamed into
    place on commit, or all removed on abort, together with the directories this run made.

    A commit never replaces what it did not see at the start: a file that appears at a target that
    was free (`--if-exists fail`, or a new table) or one that changed since (`replace`) is refused.
    With `marker`, the directory also gets its commit marker (marker.py)."""

    def __init__(
        self, target: Target, finals: dict[str, Path], directory: Path, *, can_append: bool = False, marker: bool = False
    ):
        self.finals = finals
        self.directory = directory
        self.label = target.location
        self.marker = marker
        self.note: str | None = None  # said after the summary: a half-done export this one repairs
        existing = [p for p in finals.values() if p.exists()]
        for path in existing:
            if path.is_dir():
                raise ExportError(f"{path}: is a directory; name a file or remove it")
        if target.if_exists == "append" and not can_append:
            raise ExportError(f"{target.location}: --if-exists append works for databases only; use replace or another target")
        # the contents are hashed only for the refusal: a replace rewrites them all anyway
        broken = marker and directory.is_dir() and _marker.problem(directory, hashes=target.if_exists == "fail")
        if existing and target.if_exists == "fail":
            if broken:
                raise ExportError(f"{target.location}: {broken}; pass --if-exists replace to write it again")
            raise ExportError(f"{existing[0]}: exists; pass --if-exists replace to overwrite it")
        if broken:
            self.note = f"{target.location}: {broken}; this export replaced them all"
        self.created = ensure_dir(directory, target.location)
        self.seen = {name: identity(final) for name, final in finals.items()}
        self.temps = {name: temp_path(final) for name, final in finals.items()}

    def commit(self) -> None:
        if not self.marker:
            self._check_unchanged()
            return self._rename_all()
        listed = _marker.entries({self.finals[n].name: t for n, t in self.temps.items()})
        with _marker.commit_lock(self.directory, self.label):
            self._check_unchanged()  # under the lock: another export's commit is over or not begun
            _marker.write(self.directory, "committing", listed)
            self._rename_all()
            _marker.write(self.directory, "complete", listed)

    def _check_unchanged(self) -> None:
        for name, final in self.finals.items():
            if identity(final) != self.seen[name]:
                what = "appeared" if self.seen[name] is None else "changed"
                raise ExportError(
                    f"{final}: {what} while this export ran (another export, or another program); nothing was written"
                )

    def _rename_all(self) -> None:
        for name, temp in list(self.temps.items()):
            final = self.finals[name]
            if self.seen[name] is None:
                try:
                    rename_noreplace(temp, final)
                except FileExistsError:
                    raise ExportError(
                        f"{final}: appeared while this export ran (another export, or another program); it was left as it is"
                    ) from None
            else:  # a moment after the check: what a rename over an existing file can promise
                os.replace(temp, final)
            del self.temps[name]

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
