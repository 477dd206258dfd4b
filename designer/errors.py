"""One error type for everything a user can get wrong: a message, where, and an exit code.

The CLI prints `str(error)` as a single line and exits with `exit_code`; nothing
else in the program formats user-facing errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DesignerError(Exception):
    """A problem the user can fix: bad preset, bad option, bad target."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path  # key path inside the preset, "entities.users.fields.email"
        self.file = file  # the preset file, as the user named it

    def located(self, *, file: str | None = None, path: str | None = None) -> DesignerError:
        """Fill in where the error is, keeping what is already known."""
        self.file = self.file or file
        self.path = self.path or path
        return self

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.path) if p]
        # one line, always: a library's reason (polars, numpy) may span several
        message = " ".join(line.strip() for line in self.message.splitlines() if line.strip())
        return ": ".join([*parts, message])


class PresetError(DesignerError):
    """The preset cannot be read or does not describe a valid design."""


class GenerationError(DesignerError):
    """The design is valid but cannot be generated as asked (a unique field ran dry)."""


class ExportError(DesignerError):
    """The target cannot be written (exists, unreachable, missing driver)."""


class ReaderGone(ExportError):
    """The program reading our stdout stopped reading (`designer export -o - | head`): not a
    failure to report, just the end, as for any Unix filter."""

    exit_code = 141  # 128 + SIGPIPE, what a shell shows for `yes | head`


class ClusterFailure(ExportError):
    """The cluster failed to run a task (every worker that ran it died): not the preset's
    fault, so not exit status 2; the same command resumes once the cause is fixed."""

    exit_code = 1


class Cancelled(Exception):
    """The user stopped a long job; whatever it wrote has been removed."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean "email"?` when a close choice exists, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""
