"""The name dialog: a new or renamed entity, field or variant, refused in place while it is not a
name the loader takes or is taken already (the dialog stays open and says why)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import Input, Label

from .dialogs import Prompt


class NameDialog(Prompt):
    def __init__(self, question: str, value: str, problem: Callable[[str], str | None]):
        super().__init__(question, value)
        self.problem = problem

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        name = event.value.strip()
        self.query_one("#prompt-error", Label).update((self.problem(name) or "") if name else "")

    def submit(self, value: str) -> None:
        if not value:
            self.dismiss(None)
        elif (why := self.problem(value)) is not None:
            self.query_one("#prompt-error", Label).update(why)
        else:
            self.dismiss(value)
