"""The name dialog: a new or renamed entity, field or variant, refused in place while it is not a
name the loader takes or is taken already (the dialog stays open and says why)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class NameDialog(ModalScreen[str | None]):
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str, problem: Callable[[str], str | None]):
        super().__init__()
        self.question = question
        self.value = value
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="prompt-input")
            yield Label("", id="prompt-error", classes="option-error")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        self.query_one("#prompt-error", Label).update(self.problem(event.value.strip()) or "" if event.value.strip() else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        name = self.query_one("#prompt-input", Input).value.strip()
        if not name:
            self.dismiss(None)
        elif (why := self.problem(name)) is not None:
            self.query_one("#prompt-error", Label).update(why)
        else:
            self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
