"""Temporary names beside the target, renamed into place only when everything is written."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ..errors import ExportError


def temp_path(final: Path) -> Path:
    """A hidden name in the same directory, so the final rename is atomic."""
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.part")


def ensure_dir(directory: Path, label: str) -> bool:
    """Create a directory if needed; True when this run created it (and must remove it on abort)."""
    if directory.exists():
        if not directory.is_dir():
            raise ExportError(f"{label}: {directory} is not a directory")
        if not os.access(directory, os.W_OK):
            raise ExportError(f"{label}: cannot write in {directory} (permission denied)")
        return False
    try:
        directory.mkdir(parents=True)
    except OSError as error:
        raise ExportError(f"{label}: cannot create {directory}: {error.strerror}") from None
    return True


def remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
