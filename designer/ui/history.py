"""Undo and redo: a bounded list of whole designs (they are frozen, so a step costs a reference)."""

from __future__ import annotations

from ..model import Design

LIMIT = 200


class History:
    """Designs in the order they were in force, each with what the step that made it did."""

    def __init__(self, first: Design, limit: int = LIMIT):
        self._steps: list[tuple[Design, str]] = [(first, "")]
        self._at = 0
        self._open: str | None = None  # the note of a step later edits may fold into
        self.limit = limit

    def push(self, design: Design, note: str, *, merge: bool = False) -> None:
        """A new step; `merge` folds it into the last one while it has the same note (typing into
        one input is one step, not one a keystroke)."""
        del self._steps[self._at + 1 :]
        if merge and self._open == note and self._at > 0:
            self._steps[-1] = (design, note)
            return
        self._steps.append((design, note))
        del self._steps[: max(0, len(self._steps) - self.limit - 1)]
        self._at = len(self._steps) - 1
        self._open = note if merge else None

    def seal(self) -> None:
        """The next edit is a step of its own (the user moved to another node)."""
        self._open = None

    def undo(self) -> tuple[Design, str] | None:
        """The design before the last step and that step's note, or None at the start."""
        if self._at == 0:
            return None
        self._open = None
        note = self._steps[self._at][1]
        self._at -= 1
        return self._steps[self._at][0], note

    def redo(self) -> tuple[Design, str] | None:
        if self._at == len(self._steps) - 1:
            return None
        self._open = None
        self._at += 1
        return self._steps[self._at]
